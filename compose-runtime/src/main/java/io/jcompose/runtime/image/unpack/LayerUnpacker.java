package io.jcompose.runtime.image.unpack;

import io.jcompose.runtime.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
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
  private static final java.nio.file.OpenOption[] NEW_FILE = {
      StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS};

  /** Makes one filesystem entry. */
  @FunctionalInterface
  private interface Create {
    void run() throws IOException;
  }

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
    // Decompressing and hashing (and a download behind `layer`) run ahead in a thread of their
    // own while this one writes the files.
    InputStream unclosed = new java.io.FilterInputStream(layer) {
      @Override
      public void close() {
        // the caller's stream: read to its end below, closed by the caller
      }
    };
    try (InputStream tarBytes = new ReadAheadInputStream(
            new DigestInputStream(Compression.decompress(unclosed), sha));
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes)) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar, name)) != null) {
        u.entry(entry, tar);
      }
      // The diff id covers the whole tar, including the end-of-archive padding.
      tarBytes.transferTo(OutputStream.nullOutputStream());
      // And the compressed stream to its end: a download behind it is verified and stored there.
      layer.transferTo(OutputStream.nullOutputStream());
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
    /**
     * Directories (relative paths, in order of appearance) whose mode and mtime are applied last
     * (writing into them changes mtime). A directory replaced later loses its entry: chmod follows
     * symlinks, so a stale path could otherwise reach through a link that took its place.
     */
    private final java.util.LinkedHashMap<String, Runnable> directoryFixups = new java.util.LinkedHashMap<>();
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
        createReplacing(target, () -> Posix.mknod(target, Posix.S_IFCHR, Posix.makedev(0, 0)));
        return;
      }

      Path target = parent.resolve(base);
      if (e.isDirectory()) {
        try {
          Files.createDirectory(target);
        } catch (FileAlreadyExistsException ex) {
          BasicFileAttributes existing = lstat(target);
          if (existing == null || !existing.isDirectory()) {
            removeExisting(target);
            Files.createDirectory(target);
          }
        }
        knownDirs.add(rel);
        applyDirectoryMetadata(target, e);
        return;
      }
      if (e.isSymbolicLink()) {
        // A symlink may point anywhere: it is only ever resolved inside the container.
        Path linkTarget = Path.of(e.getLinkName());
        createReplacing(target, () -> Files.createSymbolicLink(target, linkTarget));
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
        if (source.equals(target)) {
          throw reject(e.getName(), "is a hard link to itself");
        }
        createReplacing(target, () -> Files.createLink(target, source));
        return; // shares the inode: its metadata is the source's
      } else if (e.isCharacterDevice() || e.isBlockDevice()) {
        int type = e.isCharacterDevice() ? Posix.S_IFCHR : Posix.S_IFBLK;
        long dev = Posix.makedev(e.getDevMajor(), e.getDevMinor());
        createReplacing(target, () -> Posix.mknod(target, type | (e.getMode() & 07777), dev));
      } else if (e.isFIFO()) {
        createReplacing(target, () -> Posix.mknod(target, Posix.S_IFIFO | (e.getMode() & 07777), 0));
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
      OutputStream created;
      try {
        created = Files.newOutputStream(target, NEW_FILE);
      } catch (FileAlreadyExistsException ex) {
        removeExisting(target); // a later entry of the same name wins
        created = Files.newOutputStream(target, NEW_FILE);
      }
      try (OutputStream out = created) {
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
      String rel = root.relativize(dir).toString();
      directoryFixups.remove(rel); // re-added last: a later entry for the same directory wins
      directoryFixups.put(rel, () -> {
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
      for (Runnable fixup : directoryFixups.sequencedValues().reversed()) {
        fixup.run();
      }
      directoryFixups.clear();
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
      int end = -1;
      while (end < rel.length()) {
        int start = end + 1;
        end = rel.indexOf('/', start);
        if (end < 0) {
          end = rel.length();
        }
        Path next = dir.resolve(rel.substring(start, end));
        if (knownDirs.contains(rel.substring(0, end))) {
          dir = next; // made or checked earlier in this layer
          continue;
        }
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
        knownDirs.add(rel.substring(0, end));
      }
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

    /**
     * Creates an entry; when the name exists already (an entry of the same name earlier in the
     * layer), removes that and creates it again. Trying first saves an lstat of a name that, in a
     * fresh directory, almost never exists.
     */
    private void createReplacing(Path target, Create create) throws IOException {
      try {
        create.run();
      } catch (FileAlreadyExistsException ex) {
        removeExisting(target);
        create.run();
      } catch (Posix.PosixException ex) {
        if (ex.errno() != Posix.PosixException.EEXIST) {
          throw ex;
        }
        removeExisting(target);
        create.run();
      }
    }

    private void removeExisting(Path target) throws IOException {
      BasicFileAttributes a = lstat(target);
      if (a == null) {
        return;
      }
      if (a.isDirectory()) {
        knownDirs.clear(); // it and its subdirectories are gone
        String rel = root.relativize(target).toString();
        directoryFixups.keySet().removeIf(d -> d.equals(rel) || d.startsWith(rel + "/"));
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

  /**
   * Prepares the directory unpacks are made in: each unpack is an unrelated tree, and on ext4
   * marking the parent as a "top directory" lets the allocator spread them over block groups.
   * Without it new layers land in the groups the snapshots removed just before lived in, and
   * ext4 without a journal passes over every recently deleted inode there one by one for each
   * new file (a quarter of a cold pull's CPU time after an {@code rmi}). Best effort: other
   * filesystems have no such flag.
   */
  public static void prepareWorkDirectory(Path dir) {
    boolean set = Posix.setTopDirFlag(dir);
    LOG.debug("top-directory flag on {}: {}", dir, set ? "set" : "not supported");
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
