package io.jcompose.runtime.image;

/** An image cannot be removed as asked (Docker answers 409 Conflict); the message says why. */
public final class ImageConflictException extends RuntimeException {
  public ImageConflictException(String message) {
    super(message);
  }
}
