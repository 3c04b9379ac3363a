package io.jcompose.runtime.image.unpack;

/**
 * A layer tried something unsafe (an entry escaping the layer root, writing through a symlink,
 * an absurd size) or is corrupt. Nothing of it was kept.
 */
public final class LayerRejectedException extends RuntimeException {
  public LayerRejectedException(String message) {
    super(message);
  }

  public LayerRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
