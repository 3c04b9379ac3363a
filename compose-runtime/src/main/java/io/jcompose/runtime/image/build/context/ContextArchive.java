package io.jcompose.runtime.image.build.context;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Unpacks a build context sent as a tar ({@code POST /build}'s body; plain, gzip or bzip2, told
 * by content) into a directory: regular files, directories, symlinks and hard links with their
 * modes and mtimes. Owners are not kept (the files are the client's, as in Docker, which
 * extracts them as root). Names that would leave the directory ({@code ..}, absolute hard link
 * targets outside it) are refused.
 */
public final class ContextArchive {
  private ContextArchive() {}

  /** Extracts {@code archive} into {@code dir} (which must exist). */
  public static void extract(InputStream archive, Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<Object[]> dirTimes = new ArrayList<>();
    try (InputStream in = decompress(new BufferedInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = inside(root, e.getName());
        if (target.equals(root)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        if (e.isDirectory()) {
          Files.createDirectories(target);
          dirTimes.add(new Object[] {target, e.getLastModifiedTime(), e.getMode()});
          continue;
        }
        Files.deleteIfExists(target);
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
          continue;
        }
        if (e.isLink()) {
          Files.createLink(target, inside(root, e.getLinkName()));
          continue;
        }
        if (!e.isFile()) {
          continue; // devices, fifos: not build context material
        }
        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
        Files.setLastModifiedTime(target, e.getLastModifiedTime());
      }
    } catch (IllegalArgumentException e) {
      throw new ContextException("the build context is not a valid tar archive: " + e.getMessage());
    }
    // directory mtimes last: creating their entries changed them
    for (Object[] d : dirTimes.reversed()) {
      Path p = (Path) d[0];
      Files.setPosixFilePermissions(p, permissions((Integer) d[2] | 0700));
      Files.setLastModifiedTime(p, (FileTime) d[1]);
    }
  }

  private static Path inside(Path root, String name) {
    Path p = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
    if (!p.startsWith(root)) {
      throw new ContextException("the build context has an entry outside itself: " + name);
    }
    if (!p.equals(root) && Files.isSymbolicLink(p.getParent())) {
      throw new ContextException("the build context has an entry below a symlink: " + name);
    }
    return p;
  }

  private static InputStream decompress(BufferedInputStream in) throws IOException {
    in.mark(4);
    int a = in.read(), b = in.read(), c = in.read();
    in.reset();
    if (a == 0x1f && b == 0x8b) {
      return new GZIPInputStream(in, 65536);
    }
    if (a == 'B' && b == 'Z' && c == 'h') {
      return new BZip2CompressorInputStream(in);
    }
    return in;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }
}
