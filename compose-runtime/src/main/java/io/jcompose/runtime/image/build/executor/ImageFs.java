package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.image.build.context.LayeredFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Read-only questions a COPY asks about the filesystem it lands on: whether a destination is
 * an existing directory (then the source goes inside it, and its parents are not re-written),
 * and the image's {@code /etc/passwd} and {@code /etc/group} for {@code --chown=name}.
 */
public interface ImageFs {

  /** Whether {@code absolutePath} is a directory in the image. */
  boolean isDirectory(String absolutePath);

  /** The content of a small file of the image ({@code /etc/passwd}), if present. */
  Optional<String> read(String absolutePath);

  /** An empty filesystem ({@code FROM scratch}). */
  static ImageFs empty() {
    return new ImageFs() {
      @Override
      public boolean isDirectory(String absolutePath) {
        return absolutePath.equals("/");
      }

      @Override
      public Optional<String> read(String absolutePath) {
        return Optional.empty();
      }
    };
  }

  /**
   * The view of stacked overlay lower directories (top first, as {@code
   * ImageService.lowerDirs} gives them): the first layer that has the path decides; a
   * whiteout (a 0/0 character device) hides it.
   */
  static ImageFs layers(List<Path> topFirst) {
    LayeredFiles merged = new LayeredFiles(topFirst, "the image");
    return new ImageFs() {
      @Override
      public boolean isDirectory(String absolutePath) {
        if (absolutePath.equals("/")) {
          return true;
        }
        return merged.entry(absolutePath).map(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).orElse(false);
      }

      @Override
      public Optional<String> read(String absolutePath) {
        return merged.entry(absolutePath).filter(Files::isRegularFile).map(p -> {
          try {
            return Files.readString(p);
          } catch (IOException e) {
            return null;
          }
        });
      }
    };
  }
}
