package io.jcompose.planner.reconcile;

/** Executing a plan failed; the message is the one line shown to the user. */
public final class ReconcileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message the line shown to the user */
  public ReconcileException(String message) {
    super(message);
  }
}
