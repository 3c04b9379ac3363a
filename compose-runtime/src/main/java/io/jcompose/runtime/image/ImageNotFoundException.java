package io.jcompose.runtime.image;

/** No local image matches the given name or id (Docker: "No such image: x"). */
public final class ImageNotFoundException extends RuntimeException {
  public ImageNotFoundException(String nameOrId) {
    super("No such image: " + nameOrId);
  }
}
