package io.jcompose.runtime.image.support;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in memory, including malformed and malicious ones, for tests. */
public final class TarBuilder {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
  private static final long MTIME = 1_600_000_000_000L;

  public TarBuilder() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public TarBuilder dir(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(mode);
    e.setModTime(MTIME);
    return put(e, null);
  }

  public TarBuilder file(String name, String content) {
    return file(name, content, 0644, 0, 0);
  }

  public TarBuilder file(String name, String content, int mode, int uid, int gid) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
  }

  public TarBuilder file(String name, byte[] data, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setMode(mode);
    e.setIds(uid, gid);
    e.setModTime(MTIME);
    return put(e, data);
  }

  public TarBuilder fileWithXattr(String name, String content, String xattr, String value) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setMode(0644);
    e.setModTime(MTIME);
    e.addPaxHeader("SCHILY.xattr." + xattr, value);
    return put(e, data);
  }

  public TarBuilder symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setModTime(MTIME);
    return put(e, null);
  }

  public TarBuilder hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setModTime(MTIME);
    return put(e, null);
  }

  public TarBuilder charDevice(String name, int major, int minor) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    e.setMode(0666);
    e.setModTime(MTIME);
    return put(e, null);
  }

  public TarBuilder fifo(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
    e.setMode(0600);
    e.setModTime(MTIME);
    return put(e, null);
  }

  /** A whiteout for {@code path} (Docker/OCI form: {@code dir/.wh.name}). */
  public TarBuilder whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return file(name, "");
  }

  /** Marks {@code dir} opaque: lower layers' content of it is hidden. */
  public TarBuilder opaque(String dir) {
    return file(dir + "/.wh..wh..opq", "");
  }

  private TarBuilder put(TarArchiveEntry e, byte[] data) {
    try {
      tar.putArchiveEntry(e);
      if (data != null) {
        tar.write(data);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * The archive so far plus the header of a file claiming {@code size} bytes and none of its
   * content: what an "absurd size" attack looks like.
   */
  public byte[] buildWithAbsurdEntry(String name, long size) {
    try {
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(size);
      e.setModTime(MTIME);
      tar.putArchiveEntry(e);
      tar.flush();
      bytes.write(new byte[4096]);
      return bytes.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The finished tar. */
  public byte[] tar() {
    try {
      tar.finish();
      tar.close();
      return bytes.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  public static byte[] zstd(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(out)) {
      z.write(data);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }
}
