package io.jcompose.runtime.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.support.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unpacking without root: files, links, modes, compressions, and every refusal. */
class LayerUnpackerTest {

  @TempDir Path tmp;

  private Path unpack(byte[] layer) throws IOException {
    Path dest = Files.createDirectories(tmp.resolve("fs"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(layer), dest, "test-layer");
    return dest;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void unpacksFilesDirsAndLinksInEveryCompression(Compression compression) throws IOException {
    byte[] tar = new TarBuilder()
        .dir("etc", 0755)
        .file("etc/hostname", "box\n", 0640, 0, 0)
        .file("usr/bin/tool", "#!/bin/sh\n", 04755, 0, 0)
        .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
        .hardlink("usr/bin/tool2", "usr/bin/tool")
        .dir("tmp", 01777)
        .tar();
    byte[] layer = switch (compression) {
      case NONE -> tar;
      case GZIP -> TarBuilder.gzip(tar);
      case ZSTD -> TarBuilder.zstd(tar);
    };
    Path dest = Files.createDirectories(tmp.resolve("fs"));
    LayerUnpacker.Result r = new LayerUnpacker().unpack(new ByteArrayInputStream(layer), dest, "l");

    assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
    assertThat(dest.resolve("etc/hostname")).hasContent("box");
    assertThat(Files.readSymbolicLink(dest.resolve("etc/localtime")))
        .isEqualTo(Path.of("/usr/share/zoneinfo/UTC"));
    assertThat(Files.isSameFile(dest.resolve("usr/bin/tool"), dest.resolve("usr/bin/tool2"))).isTrue();
    assertThat(mode(dest.resolve("usr/bin/tool"))).isEqualTo(04755);
    assertThat(mode(dest.resolve("etc/hostname"))).isEqualTo(0640);
    assertThat(mode(dest.resolve("tmp"))).isEqualTo(01777);
    assertThat(Files.getLastModifiedTime(dest.resolve("etc")))
        .isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
    assertThat(Files.getLastModifiedTime(dest.resolve("etc/localtime"), LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
  }

  @Test
  void laterEntriesReplaceEarlierOnes() throws IOException {
    Path dest = unpack(new TarBuilder()
        .symlink("a", "/etc")
        .dir("a", 0755)
        .file("a/x", "1")
        .file("b", "old")
        .file("b", "new")
        .tar());
    assertThat(Files.isDirectory(dest.resolve("a"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(dest.resolve("b")).hasContent("new");
  }

  @Test
  void laterLinksAndDirectoriesReplaceEarlierEntriesOfTheSameName() throws IOException {
    Path dest = unpack(new TarBuilder()
        .file("f", "first")
        .file("l", "a file first")
        .symlink("l", "f")
        .dir("d/sub", 0755)
        .file("d/sub/x", "1")
        .file("h", "old")
        .hardlink("h", "f")
        .symlink("d", "/etc")
        .file("d", "now a file")
        .tar());
    assertThat(Files.readSymbolicLink(dest.resolve("l"))).isEqualTo(Path.of("f"));
    assertThat(dest.resolve("h")).hasContent("first");
    assertThat(Files.isRegularFile(dest.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(dest.resolve("d")).hasContent("now a file");
  }

  @Test
  void aDirectoryReplacedByASymlinkKeepsItsModeChangeInside() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside/sub"));
    Files.setPosixFilePermissions(outside, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    unpack(new TarBuilder()
        .dir("d/sub", 0777)
        .symlink("d", tmp.resolve("outside").toString())
        .tar());
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)))
        .isEqualTo("rwx------");
  }

  @Test
  void refusesAHardLinkToItself() {
    assertRefused(t -> t.file("a", "x").hardlink("a", "a"), "hard link to itself");
  }

  @Test
  void innerDotDotThatStaysInsideIsResolved() throws IOException {
    Path dest = unpack(new TarBuilder().file("./a/../b", "x").tar());
    assertThat(dest.resolve("b")).hasContent("x");
  }

  private void assertRefused(UnaryOperator<TarBuilder> layer, String message) {
    Path dest = tmp.resolve("fs");
    assertThatThrownBy(() -> {
      Files.createDirectories(dest);
      new LayerUnpacker().unpack(
          new ByteArrayInputStream(layer.apply(new TarBuilder()).tar()), dest, "evil");
    }).isInstanceOf(LayerRejectedException.class)
        .hasMessageStartingWith("layer evil refused: entry")
        .hasMessageContaining(message);
    // Nothing was written outside the destination.
    assertThat(tmp.resolve("escaped")).doesNotExist();
    assertThat(tmp.resolve("outside/escaped")).doesNotExist();
  }

  @Test
  void refusesDotDotEscape() {
    assertRefused(t -> t.file("../escaped", "x"), "escapes the layer root");
    assertRefused(t -> t.file("a/../../escaped", "x"), "escapes the layer root");
  }

  @Test
  void refusesAbsolutePaths() {
    assertRefused(t -> t.file("/etc/passwd", "x"), "is an absolute path");
  }

  @Test
  void refusesWritingThroughASymlinkToOutside() throws IOException {
    Files.createDirectories(tmp.resolve("outside"));
    assertRefused(t -> t.symlink("link", "../outside").file("link/escaped", "x"),
        "points outside the layer");
    assertRefused(t -> t.symlink("link", tmp.resolve("outside").toString()).file("link/escaped", "x"),
        "points outside the layer");
  }

  @Test
  void refusesWritingThroughAnySymlink() {
    assertRefused(t -> t.dir("real", 0755).symlink("link", "real").file("link/f", "x"),
        "must not write through");
  }

  @Test
  void refusesHardlinksToOutside() throws IOException {
    Files.writeString(tmp.resolve("secret"), "s");
    assertRefused(t -> t.hardlink("h", "../secret"), "escapes the layer root");
    assertRefused(t -> t.hardlink("h", tmp.resolve("secret").toString()), "is an absolute path");
    assertRefused(t -> t.symlink("link", "..").hardlink("h", "link/secret"),
        "points outside the layer");
    assertRefused(t -> t.hardlink("h", "not-there"), "not earlier in this layer");
  }

  @Test
  void refusesAbsurdSizesBeforeWritingAnything() {
    Path dest = tmp.resolve("fs");
    byte[] layer = new TarBuilder().file("ok", "x").buildWithAbsurdEntry("huge", 1L << 50);
    assertThatThrownBy(() -> {
      Files.createDirectories(dest);
      new LayerUnpacker().unpack(new ByteArrayInputStream(layer), dest, "evil");
    }).isInstanceOf(LayerRejectedException.class)
        .hasMessageContaining("entry \"huge\" claims a size of 1125899906842624 bytes");
    assertThat(dest.resolve("huge")).doesNotExist();
  }

  @Test
  void refusesLayersPastTheLayerLimit() {
    Path dest = tmp.resolve("fs");
    byte[] layer = new TarBuilder().file("a", "12345").file("b", "67890").tar();
    assertThatThrownBy(() -> {
      Files.createDirectories(dest);
      new LayerUnpacker(new LayerUnpacker.Limits(100, 8))
          .unpack(new ByteArrayInputStream(layer), dest, "big");
    }).isInstanceOf(LayerRejectedException.class)
        .hasMessageContaining("entry \"b\" takes the layer past the limit of 8 bytes");
  }

  @Test
  void truncatedLayerIsRejected() {
    byte[] full = TarBuilder.gzip(new TarBuilder().file("f", "x".repeat(100_000)).tar());
    byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);
    Path dest = tmp.resolve("fs");
    assertThatThrownBy(() -> {
      Files.createDirectories(dest);
      new LayerUnpacker().unpack(new ByteArrayInputStream(cut), dest, "cut");
    }).isInstanceOf(LayerRejectedException.class).hasMessageContaining("truncated");
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }
}
