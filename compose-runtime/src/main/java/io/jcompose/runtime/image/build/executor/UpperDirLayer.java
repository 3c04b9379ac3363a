package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.image.unpack.OverlayAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns an overlayfs upper directory (what a RUN changed) into an OCI layer: a 0/0 character
 * device (overlay's whiteout) becomes an empty {@code .wh.<name>} file, an opaque directory
 * gets a {@code .wh..wh..opq} entry, hard links within the layer stay hard links; owners,
 * modes and mtimes are kept. Entries are written parents first, in name order, so the same
 * changes give the same layer digest.
 *
 * <p>Not kept yet: extended attributes ({@code security.capability}), device nodes and fifos
 * (skipped).
 */
public final class UpperDirLayer {
  private UpperDirLayer() {}

  /** Writes the layer of {@code upper} to {@code out}. */
  public static LayerBlob write(Path upper, Path out) throws IOException {
    try (LayerWriter w = new LayerWriter(out)) {
      walk(upper, upper, w, new HashMap<>());
      return w.finish();
    }
  }

  private static void walk(Path root, Path dir, LayerWriter w, Map<Object, String> inodes) throws IOException {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    }
    for (Path p : children) {
      String name = root.relativize(p).toString();
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,nlink,ino,dev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      int uid = (Integer) a.get("uid");
      int gid = (Integer) a.get("gid");
      FileTime mtime = (FileTime) a.get("lastModifiedTime");
      int type = mode & 0170000;
      switch (type) {
        case 0040000 -> {
          w.directory(name, mode, uid, gid, mtime);
          if (OverlayAttributes.isOpaque(p)) {
            w.file(name + "/.wh..wh..opq", new byte[0], 0, 0, 0, FileTime.fromMillis(0));
          }
          walk(root, p, w, inodes);
        }
        case 0100000 -> {
          String key = a.get("dev") + ":" + a.get("ino");
          String first = (Integer) a.get("nlink") > 1 ? inodes.putIfAbsent(key, name) : null;
          if (first != null) {
            w.hardlink(name, first, uid, gid, mtime);
          } else {
            w.file(name, p, mode, uid, gid, mtime);
          }
        }
        case 0120000 -> w.symlink(name, Files.readSymbolicLink(p).toString(), uid, gid, mtime);
        case 0020000 -> {
          if (((Long) a.get("rdev")) == 0L) {
            String parent = p.getParent().equals(root) ? "" : root.relativize(p.getParent()) + "/";
            w.file(parent + ".wh." + p.getFileName(), new byte[0], 0, 0, 0, FileTime.fromMillis(0));
          }
          // other character devices: skipped (not expected from a build step)
        }
        default -> {
          // fifos, sockets, block devices: skipped
        }
      }
    }
  }
}
