package io.jcompose.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSizeTest {
  @TempDir Path dir;

  @Test
  void countsFilesAndLinksOnceAndDirectoriesNot() throws IOException {
    Files.createDirectories(dir.resolve("etc/sub"));
    Files.writeString(dir.resolve("etc/passwd"), "0123456789");
    Files.createLink(dir.resolve("etc/sub/hardlink"), dir.resolve("etc/passwd"));
    Files.createFile(dir.resolve("empty"));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("target")); // 6 bytes, never followed
    Files.createSymbolicLink(dir.resolve("loop"), Path.of("etc"));
    assertThat(SnapshotSize.of(dir)).isEqualTo(10 + 6 + 3);
    assertThat(SnapshotSize.of(dir.resolve("etc/sub"))).isEqualTo(10);
  }
}
