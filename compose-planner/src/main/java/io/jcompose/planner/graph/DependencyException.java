package io.jcompose.planner.graph;

/**
 * The services' dependencies cannot be satisfied: a cycle, or a required dependency on a service
 * that is not defined or not enabled. The message is one line meant for the user.
 */
public final class DependencyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message the line shown to the user */
  public DependencyException(String message) {
    super(message);
  }
}
