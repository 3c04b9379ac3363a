package io.jcompose.runtime.image.reference;

/** An image reference or digest that does not follow Docker's grammar; the message says why. */
public final class InvalidReferenceException extends IllegalArgumentException {
  public InvalidReferenceException(String message) {
    super(message);
  }
}
