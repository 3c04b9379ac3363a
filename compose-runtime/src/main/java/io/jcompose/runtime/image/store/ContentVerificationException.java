package io.jcompose.runtime.image.store;

/** Downloaded content does not match its digest or declared size; nothing was stored. */
public final class ContentVerificationException extends RuntimeException {
  public ContentVerificationException(String message) {
    super(message);
  }
}
