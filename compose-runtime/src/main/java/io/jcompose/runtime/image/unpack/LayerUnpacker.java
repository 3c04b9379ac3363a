package io.jcompose.runtime.image.unpack;

import io.jcompose.runtime.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks one image layer (a tar, plain or gzip/zstd compressed) into an empty directory that
 * becomes an overlayfs lower directory.
 *
 * <p>Whiteouts are converted to overlayfs' own form: {@code .wh.name} becomes a character device
 * 0/0 named {@code name}, {@code .wh..wh..opq} sets {@code trusted.overlay.opaque=y} on its
 * directory. Every entry path is resolved component by component inside the destination without
 * following symlinks; an entry escaping the root ({@code ../}, absolute names, writing through a
 * symlink, hard links to outside) or of absurd size is refused with {@link LayerRejectedException}.
 * The caller unpacks into a temporary directory and deletes it on failure.
 */
public final class LayerUnpacker {

  private static final Logger LOG = LoggerFactory.getLogger(LayerUnpacker.class);
  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String XATTR_PAX = "SCHILY.xattr.";
  private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  /**
   * Size limits: an entry or a layer larger than these is refused before anything is written.
   *
   * @param maxEntrySize largest single file
   * @param maxLayerSize largest sum of file sizes in one layer
   */
  public record Limits(long maxEntrySize, long maxLayerSize) {
    /** 64 GiB per file, 256 GiB per layer: far above real images, far below absurd headers. */
    public static final Limits DEFAULT = new Limits(64L << 30, 256L << 30);
  }

  /**
   * What was unpacked.
   *
   * @param diffId sha256 of the uncompressed tar (the config's {@code rootfs.diff_ids} entry)
   * @param size bytes of file content written
   */
  public record Result(Digest diffId, long size) {}

  private final Limits limits;

  public LayerUnpacker(Limits limits) {
    this.limits = limits;
  }

  public LayerUnpacker() {
    this(Limits.DEFAULT);
  }

  /**
   * Unpacks {@code layer} into {@code dest} (an existing, empty directory).
   *
   * @param name how to call the layer in errors (e.g. its digest)
   * @throws LayerRejectedException for unsafe or corrupt content
   */
  public Result unpack(InputStream layer, Path dest, String name) throws IOException {
    MessageDigest sha = Digest.newSha256();
    Path root = dest.toAbsolutePath().normalize();
    Unpack u = new Unpack(root, name);
    try (DigestInputStream tarBytes = new DigestInputStream(Compression.decompress(layer), sha);
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes)) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar, name)) != null) {
        u.entry(entry, tar);
      }
      // The diff id covers the whole tar, including the end-of-archive padding.
      tarBytes.transferTo(OutputStream.nullOutputStream());
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw new LayerRejectedException("layer " + name + " is truncated or corrupt: " + e.getMessage(), e);
    }
    u.finishDirectories();
    return new Result(Digest.of(sha), u.written);
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String name) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IllegalArgumentException e) {
      throw new LayerRejectedException("layer " + name + " has a corrupt tar header: " + e.getMessage(), e);
    }
  }

  /** The state of one unpack. */
  private final class Unpack {
    private final Path root;
    private final String layer;
    private long written;
    private long freeAtStart = -1;
    /** Directories (relative paths) known to exist as real directories: saves lstat calls. */
    private final java.util.Set<String> knownDirs = new java.util.HashSet<>();
    /** Directories whose mode and mtime are applied last (writing into them changes mtime). */
    private final Deque<Runnable> directoryFixups = new ArrayDeque<>();
    private final List<IOException> fixupErrors = new ArrayList<>();

    Unpack(Path root, String layer) {
      this.root = root;
      this.layer = layer;
    }

    void entry(TarArchiveEntry e, InputStream content) throws IOException {
      String rel = cleanRelative(e.getName());
      if (rel.isEmpty()) {
        if (e.isDirectory()) {
          applyDirectoryMetadata(root, e);
        }
        return;
      }
      int slash = rel.lastIndexOf('/');
      String parentRel = slash < 0 ? "" : rel.substring(0, slash);
      String base = rel.substring(slash + 1);
      Path parent = ensureDirectories(parentRel, e.getName());

      if (base.equals(OPAQUE)) {
        Posix.lsetxattr(parent, "trusted.overlay.opaque", YES);
        return;
      }
      if (base.startsWith(WHITEOUT_PREFIX)) {
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
          throw reject(e.getName(), "is a malformed whiteout");
        }
        Path target = parent.resolve(hidden);
        removeExisting(target);
        Posix.mknod(target, Posix.S_IFCHR, Posix.makedev(0, 0));
        return;
      }

      Path target = parent.resolve(base);
      if (e.isDirectory()) {
        BasicFileAttributes existing = lstat(target);
        if (existing != null && !existing.isDirectory()) {
          removeExisting(target);
          existing = null;
        }
        if (existing == null) {
          Files.createDirectory(target);
        }
        applyDirectoryMetadata(target, e);
        return;
      }
      removeExisting(target);
      if (e.isSymbolicLink()) {
        // A symlink may point anywhere: it is only ever resolved inside the container.
        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      } else if (e.isLink()) {
        String linkRel = cleanRelative(e.getLinkName());
        if (linkRel.isEmpty()) {
          throw reject(e.getName(), "is a hard link to the layer root");
        }
        int ls = linkRel.lastIndexOf('/');
        Path linkParent = existingDirectories(ls < 0 ? "" : linkRel.substring(0, ls), e.getLinkName());
        Path source = linkParent.resolve(linkRel.substring(ls + 1));
        BasicFileAttributes sa = lstat(source);
        if (sa == null) {
          throw reject(e.getName(), "is a hard link to \"" + e.getLinkName()
              + "\", which is not earlier in this layer");
        }
        if (sa.isDirectory()) {
          throw reject(e.getName(), "is a hard link to a directory");
        }
        Files.createLink(target, source);
        return; // shares the inode: its metadata is the source's
      } else if (e.isCharacterDevice() || e.isBlockDevice()) {
        int type = e.isCharacterDevice() ? Posix.S_IFCHR : Posix.S_IFBLK;
        Posix.mknod(target, type | (e.getMode() & 07777),
            Posix.makedev(e.getDevMajor(), e.getDevMinor()));
      } else if (e.isFIFO()) {
        Posix.mknod(target, Posix.S_IFIFO | (e.getMode() & 07777), 0);
      } else if (e.isFile()) {
        writeFile(target, e, content);
      } else {
        LOG.debug("layer {}: skipping entry {} of unsupported type {}", layer, e.getName(),
            (char) e.getLinkFlag());
        return;
      }
      applyMetadata(target, e, e.isSymbolicLink());
    }

    private void writeFile(Path target, TarArchiveEntry e, InputStream content) throws IOException {
      long size = e.getSize();
      if (size < 0 || size > limits.maxEntrySize()) {
        throw reject(e.getName(), "claims a size of " + size + " bytes, above the limit of "
            + limits.maxEntrySize());
      }
      if (written + size > limits.maxLayerSize()) {
        throw reject(e.getName(), "takes the layer past the limit of " + limits.maxLayerSize()
            + " bytes");
      }
      if (freeAtStart < 0) {
        // Once per layer: asking the file store per file costs a statfs and a mount-table read.
        freeAtStart = Files.getFileStore(root).getUsableSpace();
      }
      long free = freeAtStart - written;
      if (size > free) {
        throw reject(e.getName(), "claims " + size + " bytes but only " + free
            + " are free on the disk");
      }
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        long copied = content.transferTo(out);
        if (copied != size) {
          throw new LayerRejectedException("layer " + layer + " is truncated in \"" + e.getName()
              + "\" (" + copied + " of " + size + " bytes)");
        }
      }
      written += size;
    }

    private void applyMetadata(Path target, TarArchiveEntry e, boolean symlink) throws IOException {
      chown(target, (int) e.getLongUserId(), (int) e.getLongGroupId());
      if (!symlink) {
        // After chown: chown clears setuid/setgid.
        Posix.chmod(target, e.getMode() & 07777);
      }
      applyXattrs(target, e);
      setTimes(target, e);
    }

    private void applyDirectoryMetadata(Path dir, TarArchiveEntry e) throws IOException {
      chown(dir, (int) e.getLongUserId(), (int) e.getLongGroupId());
      applyXattrs(dir, e);
      int mode = e.getMode() & 07777;
      directoryFixups.push(() -> {
        try {
          Posix.chmod(dir, mode);
          setTimes(dir, e);
        } catch (IOException ex) {
          fixupErrors.add(ex);
        }
      });
    }

    void finishDirectories() throws IOException {
      // Deepest (latest) first, so setting a child's times does not disturb the parent's.
      while (!directoryFixups.isEmpty()) {
        directoryFixups.pop().run();
      }
      if (!fixupErrors.isEmpty()) {
        throw fixupErrors.getFirst();
      }
    }

    private void chown(Path p, int uid, int gid) throws IOException {
      try {
        Posix.lchown(p, uid, gid);
      } catch (Posix.PosixException ex) {
        if (ROOT || ex.errno() != Posix.PosixException.EPERM) {
          throw ex;
        }
        // Not root (unit tests): ownership cannot be kept.
      }
    }

    private void applyXattrs(Path p, TarArchiveEntry e) throws IOException {
      for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
        if (!h.getKey().startsWith(XATTR_PAX)) {
          continue;
        }
        String xname = h.getKey().substring(XATTR_PAX.length());
        if (xname.startsWith("trusted.overlay.")) {
          continue; // overlayfs' own attributes must not come from a layer
        }
        try {
          Posix.lsetxattr(p, xname, h.getValue().getBytes(StandardCharsets.ISO_8859_1));
        } catch (Posix.PosixException ex) {
          // The filesystem or our privileges may not allow it ("where possible").
          LOG.debug("layer {}: xattr {} on {} not kept: {}", layer, xname, p, ex.getMessage());
        }
      }
    }

    private void setTimes(Path p, TarArchiveEntry e) throws IOException {
      Posix.lutimes(p, e.getModTime().toInstant());
    }

    /** Creates (or walks) the directories of {@code rel} below the root, never via a symlink. */
    private Path ensureDirectories(String rel, String entryName) throws IOException {
      return walkDirectories(rel, entryName, true);
    }

    /** Walks existing directories of {@code rel}, never via a symlink. */
    private Path existingDirectories(String rel, String entryName) throws IOException {
      return walkDirectories(rel, entryName, false);
    }

    private Path walkDirectories(String rel, String entryName, boolean create) throws IOException {
      Path dir = root;
      if (rel.isEmpty()) {
        return dir;
      }
      if (knownDirs.contains(rel)) {
        return root.resolve(rel);
      }
      for (String component : rel.split("/")) {
        Path next = dir.resolve(component);
        BasicFileAttributes a = lstat(next);
        if (a == null && create) {
          Files.createDirectory(next);
        } else if (a != null && a.isSymbolicLink()) {
          throw symlinkTraversal(entryName, next);
        } else if (a == null || !a.isDirectory()) {
          throw reject(entryName, "needs \"" + root.relativize(next)
              + "\" to be a directory earlier in this layer, but it is "
              + (a == null ? "missing" : "a file"));
        }
        dir = next;
      }
      knownDirs.add(rel);
      return dir;
    }

    private LayerRejectedException symlinkTraversal(String entryName, Path link) throws IOException {
      Path target = Files.readSymbolicLink(link);
      Path resolved = link.getParent().resolve(target).normalize();
      String where = target.isAbsolute() || !resolved.startsWith(root)
          ? "which points outside the layer" : "which a layer must not write through";
      return reject(entryName, "would be written through the symlink \""
          + root.relativize(link) + "\" -> \"" + target + "\", " + where);
    }

    private void removeExisting(Path target) throws IOException {
      BasicFileAttributes a = lstat(target);
      if (a == null) {
        return;
      }
      if (a.isDirectory()) {
        knownDirs.clear(); // it and its subdirectories are gone
        deleteTree(target);
      } else {
        Files.delete(target);
      }
    }

    /** Turns a tar name into a clean relative path; refuses absolute names and escapes. */
    private String cleanRelative(String name) {
      if (name.indexOf('\0') >= 0) {
        throw reject(name, "contains a NUL byte");
      }
      if (name.startsWith("/")) {
        throw reject(name, "is an absolute path");
      }
      Deque<String> parts = new ArrayDeque<>();
      for (String c : name.split("/")) {
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          if (parts.isEmpty()) {
            throw reject(name, "escapes the layer root with \"..\"");
          }
          parts.removeLast();
        } else {
          parts.addLast(c);
        }
      }
      return String.join("/", parts);
    }

    private LayerRejectedException reject(String entryName, String why) {
      return new LayerRejectedException(
          "layer " + layer + " refused: entry \"" + entryName + "\" " + why);
    }
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Deletes a tree without following symlinks. */
  public static void deleteTree(Path dir) throws IOException {
    BasicFileAttributes a = lstat(dir);
    if (a == null) {
      return;
    }
    if (a.isDirectory()) {
      try (var children = Files.list(dir)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleteTree(child);
        }
      }
    }
    Files.delete(dir);
  }
}
