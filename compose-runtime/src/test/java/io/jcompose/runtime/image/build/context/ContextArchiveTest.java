package io.jcompose.runtime.image.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build context tar of {@code POST /build}: what the docker CLI sends comes out as a directory. */
class ContextArchiveTest {
  @TempDir Path dir;

  interface Entries {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  static byte[] tar(boolean gzip, Entries entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      entries.write(tar);
    }
    return bytes.toByteArray();
  }

  static void file(TarArchiveOutputStream tar, String name, String text, int mode) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(0100000 | mode);
    e.setModTime(FileTime.fromMillis(1_700_000_000_000L));
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  @Test
  void extractsFilesDirectoriesLinksModesAndMtimesFromGzipOrPlainTar() throws IOException {
    for (boolean gzip : new boolean[] {true, false}) {
      Path out = Files.createDirectory(dir.resolve("gz-" + gzip));
      byte[] archive = tar(gzip, t -> {
        TarArchiveEntry d = new TarArchiveEntry("src/");
        d.setMode(040755);
        t.putArchiveEntry(d);
        t.closeArchiveEntry();
        file(t, "Dockerfile", "FROM busybox\n", 0644);
        file(t, "src/run.sh", "#!/bin/sh\n", 0755);
        TarArchiveEntry l = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
        l.setLinkName("src/run.sh");
        t.putArchiveEntry(l);
        t.closeArchiveEntry();
        TarArchiveEntry h = new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK);
        h.setLinkName("Dockerfile");
        t.putArchiveEntry(h);
        t.closeArchiveEntry();
      });
      ContextArchive.extract(new ByteArrayInputStream(archive), out);
      assertThat(out.resolve("Dockerfile")).hasContent("FROM busybox");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("src/run.sh")))).isEqualTo("rwxr-xr-x");
      assertThat(Files.getLastModifiedTime(out.resolve("src/run.sh")).toMillis()).isEqualTo(1_700_000_000_000L);
      assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("src/run.sh"));
      assertThat(out.resolve("hard")).hasContent("FROM busybox");
    }
  }

  @Test
  void refusesEntriesThatLeaveTheContext() throws IOException {
    byte[] escape = tar(false, t -> file(t, "../evil", "x", 0644));
    assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(escape), dir))
        .isInstanceOf(ContextException.class)
        .hasMessage("the build context has an entry outside itself: ../evil");
    byte[] viaLink = tar(false, t -> {
      TarArchiveEntry l = new TarArchiveEntry("up", TarArchiveEntry.LF_SYMLINK);
      l.setLinkName("/");
      t.putArchiveEntry(l);
      t.closeArchiveEntry();
      file(t, "up/etc-passwd", "x", 0644);
    });
    assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(viaLink), dir))
        .isInstanceOf(ContextException.class)
        .hasMessage("the build context has an entry below a symlink: up/etc-passwd");
    assertThat(dir.getParent().resolve("evil")).doesNotExist();
  }
}
