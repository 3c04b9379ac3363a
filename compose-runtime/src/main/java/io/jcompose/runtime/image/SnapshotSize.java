package io.jcompose.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The size of an unpacked layer as Docker reports it ({@code docker history}, a layer's diff
 * size): the bytes of every non-directory entry, symlinks by their own length, each inode once
 * (hard links count once); directories and empty files add nothing.
 */
public final class SnapshotSize {
  private SnapshotSize() {}

  /** The size of the tree under {@code dir} (symlinks are not followed). */
  public static long of(Path dir) {
    Set<Object> seen = new HashSet<>();
    long[] total = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.size() > 0 && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) {
            total[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("size of " + dir + ": " + e.getMessage(), e);
    }
    return total[0];
  }
}
