package io.jcompose.runtime.image.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.support.Root;
import io.jcompose.runtime.image.support.TarBuilder;
import io.jcompose.runtime.image.unpack.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounts unpacked snapshots as a real overlayfs and checks the merged view: whiteouts hide lower
 * files, opaque directories hide lower directory content, upper files win.
 */
@Tag("root")
class OverlayViewTest {

  @TempDir Path tmp;

  @Test
  void snapshotsStackedAsLowerDirsGiveTheImageView() throws IOException {
    Root.assume();
    List<byte[]> layers = List.of(
        new TarBuilder().dir("etc", 0755).file("etc/motd", "hello").file("etc/keep", "k")
            .dir("var/cache/apt", 0755).file("var/cache/apt/a", "a").file("var/cache/b", "b")
            .file("bin/sh", "v1").tar(),
        new TarBuilder().whiteout("etc/motd").opaque("var/cache").file("var/cache/fresh", "f")
            .file("bin/sh", "v2").tar(),
        new TarBuilder().file("etc/motd", "back").tar());
    SnapshotStore store = new SnapshotStore(tmp.resolve("image"), new LayerUnpacker());
    List<Digest> diffIds = layers.stream().map(Digest::sha256).toList();
    List<Digest> chain = ChainIds.of(diffIds);
    List<Path> lower = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      byte[] tar = layers.get(i);
      lower.addFirst(store.ensure(chain.get(i), diffIds.get(i),
          () -> new ByteArrayInputStream(TarBuilder.gzip(tar)), "layer" + i));
    }

    // Only the two lower layers: the whiteout and opaque dir must hide layer 0's content.
    assertView(lower.subList(1, 3), merged -> {
      assertThat(merged.resolve("etc/motd")).doesNotExist();
      assertThat(merged.resolve("etc/keep")).hasContent("k");
      assertThat(merged.resolve("var/cache/apt")).doesNotExist();
      assertThat(merged.resolve("var/cache/b")).doesNotExist();
      assertThat(merged.resolve("var/cache/fresh")).hasContent("f");
      assertThat(merged.resolve("bin/sh")).hasContent("v2");
    });
    // All three: a file re-created above a whiteout is visible again.
    assertView(lower, merged -> assertThat(merged.resolve("etc/motd")).hasContent("back"));
  }

  interface Check {
    void check(Path merged) throws IOException;
  }

  private void assertView(List<Path> lowerDirs, Check check) throws IOException {
    Path merged = Files.createTempDirectory(tmp, "merged");
    String opts = "lowerdir=" + lowerDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    Root.run(List.of("mount", "-t", "overlay", "overlay", "-o", opts, merged.toString()));
    try {
      check.check(merged);
    } finally {
      Root.run(List.of("umount", merged.toString()));
    }
  }
}
