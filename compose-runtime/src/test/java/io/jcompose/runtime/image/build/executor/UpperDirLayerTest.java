package io.jcompose.runtime.image.build.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.image.build.support.OverlayChanges;
import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes made through a real overlayfs mount come out as an OCI layer with whiteouts. */
@Tag("root")
class UpperDirLayerTest {
  @TempDir Path dir;

  @Test
  void overlayChangesBecomeOciWhiteouts() throws IOException {
    Root.assume();
    Path upper = OverlayChanges.sample(dir).upper();
    LayerBlob blob = UpperDirLayer.write(upper, dir.resolve("layer.tar.gz"));
    Map<String, String> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(blob.file())))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String v = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "-> " + e.getLinkName()
            : e.isLink() ? "link " + e.getLinkName() : new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        entries.put(e.getName(), v);
      }
    }
    assertThat(entries).containsEntry(".wh.gone.txt", "")
        .containsEntry("d/", "dir")
        .containsEntry("d/x", "x2\n")
        .containsEntry("d/added", "a\n")
        .doesNotContainKey("d/keep")
        .containsEntry("opq/", "dir")
        .containsEntry("opq/.wh..wh..opq", "")
        .containsEntry("opq/new", "n\n")
        .containsEntry("sym", "-> new.txt")
        .doesNotContainKey("opq/hidden")
        .doesNotContainKey("gone.txt");
    // one of the two names carries the content, the other links to it
    assertThat(List.of(entries.get("new.txt"), entries.get("new-link.txt")))
        .containsExactlyInAnyOrder("new\n", "link new-link.txt");
  }
}
