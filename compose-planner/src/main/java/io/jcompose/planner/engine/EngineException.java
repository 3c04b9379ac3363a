package io.jcompose.planner.engine;

/**
 * An engine call failed. {@link #status()} is the Docker Engine API's HTTP status (404 not found,
 * 409 conflict, 403 forbidden, 500 otherwise) so that the planner can react as Compose does (a
 * 409 on network create means "already there"); the message is the engine's own.
 */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Not found (404). */
  public static final int NOT_FOUND = 404;
  /** Conflict (409): a duplicate name, or a running container removed without force. */
  public static final int CONFLICT = 409;
  /** Forbidden (403): a network with active endpoints. */
  public static final int FORBIDDEN = 403;

  private final int status;

  /**
   * @param status the HTTP status of the failed call
   * @param message the engine's message
   */
  public EngineException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the failed call. */
  public int status() {
    return status;
  }

  /** Whether the object does not exist. */
  public boolean isNotFound() {
    return status == NOT_FOUND;
  }

  /** Whether the call conflicts with the engine's state (duplicate name, in use). */
  public boolean isConflict() {
    return status == CONFLICT;
  }
}
