package io.jcompose.runtime.image.unpack;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Layer compressions, recognised by their magic bytes (media types are not always honest). */
public enum Compression {
  NONE,
  GZIP,
  ZSTD;

  /** Detects the compression of {@code in} and returns a stream of the decompressed bytes. */
  public static InputStream decompress(InputStream in) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
    return switch (detect(b)) {
      case GZIP -> new GZIPInputStream(b, 1 << 16);
      case ZSTD -> new ZstdInputStream(b);
      case NONE -> b;
    };
  }

  /** Peeks at the first bytes of {@code in} (which must support mark). */
  public static Compression detect(InputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }
}
