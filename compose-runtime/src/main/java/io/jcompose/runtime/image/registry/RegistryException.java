package io.jcompose.runtime.image.registry;

/**
 * A registry refused or failed a request in a way retrying will not fix (unknown manifest,
 * wrong password, ...). The message is one line a user can act on.
 */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Authentication failed or is required; the message says which and what to do. */
  public static final class Unauthorized extends RegistryException {
    public Unauthorized(String message) {
      super(message);
    }
  }

  /** The manifest or blob does not exist in the repository. */
  public static final class NotFound extends RegistryException {
    public NotFound(String message) {
      super(message);
    }
  }
}
