package io.jcompose.runtime.image.unpack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the overlayfs markers of an upper directory, the reverse of what {@link LayerUnpacker}
 * writes: a build turns a RUN's upper directory back into a layer with them.
 */
public final class OverlayAttributes {
  private OverlayAttributes() {}

  /** Whether overlayfs marked the directory opaque ({@code trusted.overlay.opaque=y}). */
  public static boolean isOpaque(Path dir) throws IOException {
    byte[] v = Posix.lgetxattr(dir, "trusted.overlay.opaque");
    return v != null && v.length == 1 && v[0] == 'y';
  }
}
