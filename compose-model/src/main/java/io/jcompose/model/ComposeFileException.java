package io.jcompose.model;

/**
 * A Compose file (or the options to load it) is not valid. {@link #getMessage()} is the one line
 * to show the user, e.g. {@code compose.yaml:12:7: services.web.ports[1]: "80:80:80:80" is not a
 * port mapping (expected [HOST:]CONTAINER[/PROTOCOL])}.
 */
public class ComposeFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message the user-facing line: location, key path and what would be valid */
  public ComposeFileException(String message) {
    super(message, null, false, false);
  }

  /**
   * @param message the user-facing line
   * @param cause the underlying problem (an I/O error)
   */
  public ComposeFileException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
