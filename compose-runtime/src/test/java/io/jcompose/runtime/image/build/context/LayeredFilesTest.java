package io.jcompose.runtime.image.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.build.support.OverlayChanges;
import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
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
    OverlayChanges.Sample sample = OverlayChanges.sample(dir);
    LayeredFiles files = new LayeredFiles(List.of(sample.upper(), sample.lower()), "stage test");
    assertThat(files.select("/d").stream().map(ContextFile::name)).containsExactly("", "added", "keep", "x");
    assertThat(files.select("opq").stream().map(ContextFile::name)).containsExactly("", "new");
    assertThat(files.select("d/k*").getFirst().path()).hasContent("k");
    assertThat(files.select("d/x").getFirst().path()).as("the upper layer wins").hasContent("x2");
    assertThatThrownBy(() -> files.select("gone.txt")).hasMessage("\"gone.txt\": not found in stage test");
    assertThatThrownBy(() -> files.select("opq/hidden")).isInstanceOf(ContextException.class);
  }
}
