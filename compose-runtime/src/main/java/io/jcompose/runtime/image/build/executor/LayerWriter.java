package io.jcompose.runtime.image.build.executor;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one image layer: a tar (PAX headers where needed) hashed for its diff id while it is
 * gzip-compressed and hashed again for its blob digest, in one pass. Names are relative
 * ({@code app/main.py}), directories end in {@code /}, as image layers are written.
 */
public final class LayerWriter implements Closeable {
  private final Path file;
  private final MessageDigest compressed = sha256();
  private final MessageDigest uncompressed = sha256();
  private final OutputStream fileOut;
  private final GZIPOutputStream gzip;
  private final TarArchiveOutputStream tar;
  private final Set<String> written = new HashSet<>();
  private boolean finished;

  /** @param file where the compressed layer is written (created or truncated) */
  public LayerWriter(Path file) throws IOException {
    this.file = file;
    this.fileOut = Files.newOutputStream(file);
    this.gzip = new GZIPOutputStream(new DigestOutputStream(fileOut, compressed), 64 * 1024);
    this.tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, uncompressed), "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** Whether an entry of this name was written already (later ones replace it in the tar). */
  public boolean contains(String name) {
    return written.contains(strip(name));
  }

  /** A directory entry. */
  public void directory(String name, int mode, int uid, int gid, FileTime mtime) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(strip(name) + "/", TarConstants.LF_DIR);
    put(e, mode, uid, gid, mtime);
    tar.closeArchiveEntry();
  }

  /** A regular file with a file's content. */
  public void file(String name, Path content, int mode, int uid, int gid, FileTime mtime) throws IOException {
    try (InputStream in = Files.newInputStream(content)) {
      file(name, in, Files.size(content), mode, uid, gid, mtime);
    }
  }

  /** A regular file with the given bytes. */
  public void file(String name, byte[] content, int mode, int uid, int gid, FileTime mtime) throws IOException {
    file(name, new ByteArrayInputStream(content), content.length, mode, uid, gid, mtime);
  }

  private void file(String name, InputStream in, long size, int mode, int uid, int gid, FileTime mtime) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(strip(name), TarConstants.LF_NORMAL);
    e.setSize(size);
    put(e, mode, uid, gid, mtime);
    long copied = in.transferTo(tar);
    if (copied != size) {
      throw new IOException(name + " changed while it was copied (" + copied + " bytes, expected " + size + ")");
    }
    tar.closeArchiveEntry();
  }

  /** A symbolic link. */
  public void symlink(String name, String target, int uid, int gid, FileTime mtime) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(strip(name), TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    put(e, 0777, uid, gid, mtime);
    tar.closeArchiveEntry();
  }

  /** A hard link to an entry written earlier. */
  public void hardlink(String name, String target, int uid, int gid, FileTime mtime) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(strip(name), TarConstants.LF_LINK);
    e.setLinkName(strip(target));
    put(e, 0644, uid, gid, mtime);
    tar.closeArchiveEntry();
  }

  private void put(TarArchiveEntry e, int mode, int uid, int gid, FileTime mtime) throws IOException {
    e.setMode(mode & 07777);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(mtime == null ? FileTime.fromMillis(0) : mtime);
    tar.putArchiveEntry(e);
    written.add(strip(e.getName()));
  }

  /** Finishes the archive and returns the blob with its digests. */
  public LayerBlob finish() throws IOException {
    if (!finished) {
      tar.finish();
      tar.flush();
      gzip.finish();
      fileOut.flush();
      fileOut.close();
      finished = true;
    }
    HexFormat hex = HexFormat.of();
    return new LayerBlob(file, "sha256:" + hex.formatHex(uncompressed.digest()),
        "sha256:" + hex.formatHex(compressed.digest()), Files.size(file));
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      finished = true;
      fileOut.close();
    }
  }

  private static String strip(String name) {
    String n = name;
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
