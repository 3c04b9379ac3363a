package io.jcompose.runtime.image;

import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import java.nio.file.Path;

/**
 * Pulls the given references into a data root, for {@code bench/image-pull.sh} (not a test).
 * Usage: {@code PullBenchMain <dataRoot> <ref>...}
 */
public final class PullBenchMain {
  private PullBenchMain() {}

  public static void main(String[] args) throws Exception {
    RegistryConfig cfg = RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS);
    try (ImageService images = new ImageService(Path.of(args[0]), cfg)) {
      for (int i = 1; i < args.length; i++) {
        Image image = images.pull(args[i], null, PullProgressListener.NONE);
        System.out.println(args[i] + " " + image.id() + " " + images.lowerDirs(image).size() + " layers");
      }
    }
  }
}
