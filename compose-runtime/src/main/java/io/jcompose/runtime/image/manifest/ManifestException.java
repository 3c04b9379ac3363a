package io.jcompose.runtime.image.manifest;

/** A manifest, index or image config that cannot be read or used; the message says why. */
public final class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
