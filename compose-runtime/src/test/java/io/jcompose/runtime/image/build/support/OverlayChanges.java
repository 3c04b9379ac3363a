package io.jcompose.runtime.image.build.support;

import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Makes changes through a real overlayfs mount, leaving its upper directory (needs root). */
public final class OverlayChanges {
  private OverlayChanges() {}

  /** Changes to the merged view. */
  @FunctionalInterface
  public interface Changes {
    void apply(Path merged) throws IOException;
  }

  /**
   * Mounts {@code lower} with a fresh upper dir under {@code dir}, applies {@code changes} to
   * the merged view, unmounts (also when the changes fail) and returns the upper dir.
   */
  public static Path apply(Path dir, Path lower, Changes changes) throws IOException {
    Path upper = dir.resolve("upper");
    Path work = dir.resolve("work");
    Path merged = dir.resolve("merged");
    for (Path p : List.of(upper, work, merged)) {
      Files.createDirectories(p);
    }
    Root.run(List.of("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, merged.toString()));
    try {
      changes.apply(merged);
    } finally {
      Root.run(List.of("umount", merged.toString()));
    }
    return upper;
  }
}
