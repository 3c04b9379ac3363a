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

  /**
   * The one sample of changes the layer readers are checked on, made through a real mount by
   * {@link #sample}: in the lower dir {@code gone.txt}, {@code d/keep}, {@code d/x} ("x1\n") and
   * {@code opq/hidden}; then {@code gone.txt} deleted (a whiteout), {@code d/x} rewritten
   * ("x2\n"), {@code d/added} written, {@code opq} removed and made again with {@code opq/new}
   * (an opaque directory), {@code new.txt} written with a hard link {@code new-link.txt} and a
   * symlink {@code sym -> new.txt}.
   *
   * @param lower the lower dir
   * @param upper the upper dir the changes left
   */
  public record Sample(Path lower, Path upper) {}

  /**
   * Makes the {@link Sample} under {@code dir} (needs root).
   *
   * @param dir an empty directory
   * @return its lower and upper dirs
   */
  public static Sample sample(Path dir) throws IOException {
    Path lower = dir.resolve("lower");
    Files.createDirectories(lower.resolve("d"));
    Files.createDirectories(lower.resolve("opq"));
    Files.writeString(lower.resolve("gone.txt"), "old\n");
    Files.writeString(lower.resolve("d/keep"), "k\n");
    Files.writeString(lower.resolve("d/x"), "x1\n");
    Files.writeString(lower.resolve("opq/hidden"), "h\n");
    Path upper = apply(dir, lower, merged -> {
      Files.delete(merged.resolve("gone.txt"));
      Files.writeString(merged.resolve("d/x"), "x2\n");
      Files.writeString(merged.resolve("d/added"), "a\n");
      Root.run(List.of("rm", "-rf", merged.resolve("opq").toString()));
      Files.createDirectory(merged.resolve("opq"));
      Files.writeString(merged.resolve("opq/new"), "n\n");
      Files.writeString(merged.resolve("new.txt"), "new\n");
      Files.createLink(merged.resolve("new-link.txt"), merged.resolve("new.txt"));
      Files.createSymbolicLink(merged.resolve("sym"), Path.of("new.txt"));
    });
    return new Sample(lower, upper);
  }
}
