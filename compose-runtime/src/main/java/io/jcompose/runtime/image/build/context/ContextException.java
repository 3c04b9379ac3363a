package io.jcompose.runtime.image.build.context;

/** A build context problem users must fix (missing source, bad .dockerignore, escaping path). */
public final class ContextException extends RuntimeException {
  public ContextException(String message) {
    super(message);
  }
}
