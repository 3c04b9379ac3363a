package io.jcompose.runtime.image.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.build.support.OverlayChanges;
import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merged view of layers, checked against what a real overlayfs mount leaves behind. */
@Tag("root")
class LayeredFilesTest {
  @TempDir Path dir;

  @Test
  void whiteoutsAndOpaqueDirectoriesHideLowerFiles() throws IOException {
    Root.assume();
    Path lower = dir.resolve("lower");
    Files.createDirectories(lower.resolve("etc"));
    Files.createDirectories(lower.resolve("cache"));
    Files.writeString(lower.resolve("etc/keep"), "k\n");
    Files.writeString(lower.resolve("etc/removed"), "r\n");
    Files.writeString(lower.resolve("cache/old"), "o\n");
    Path upper = OverlayChanges.apply(dir, lower, merged -> {
      Files.delete(merged.resolve("etc/removed"));
      Files.writeString(merged.resolve("etc/added"), "a\n");
      Root.run(List.of("rm", "-rf", merged.resolve("cache").toString()));
      Files.createDirectory(merged.resolve("cache"));
      Files.writeString(merged.resolve("cache/new"), "n\n");
    });
    LayeredFiles files = new LayeredFiles(List.of(upper, lower), "stage test");
    assertThat(files.select("/etc").stream().map(ContextFile::name)).containsExactly("", "added", "keep");
    assertThat(files.select("cache").stream().map(ContextFile::name)).containsExactly("", "new");
    assertThat(files.select("etc/k*").getFirst().path()).hasContent("k");
    assertThatThrownBy(() -> files.select("etc/removed")).hasMessage("\"etc/removed\": not found in stage test");
    assertThatThrownBy(() -> files.select("cache/old")).isInstanceOf(ContextException.class);
  }
}
