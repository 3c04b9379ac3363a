package io.jcompose.runtime.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.image.support.TarBuilder;
import io.jcompose.runtime.image.support.Root;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only root can make: whiteout devices, opaque xattrs, device nodes, ownership. */
@Tag("root")
class LayerUnpackerRootTest {

  @TempDir Path tmp;

  @BeforeEach
  void needRoot() {
    Root.assume();
  }

  @Test
  void whiteoutsBecomeOverlayCharDevicesAndOpaqueXattrs() throws IOException {
    Path dest = Files.createDirectories(tmp.resolve("fs"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new TarBuilder()
        .dir("etc", 0755)
        .whiteout("etc/motd")
        .dir("var/cache", 0755)
        .opaque("var/cache")
        .file("var/cache/new", "n")
        .tar()), dest, "l");

    Path wh = dest.resolve("etc/motd");
    assertThat(Files.getAttribute(wh, "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .matches(m -> ((Integer) m & 0170000) == 0020000, "is a character device");
    assertThat(Files.getAttribute(wh, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
    assertThat(dest.resolve("etc/.wh.motd")).doesNotExist();
    assertThat(xattr(dest.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
    assertThat(dest.resolve("var/cache/.wh..wh..opq")).doesNotExist();
    assertThat(dest.resolve("var/cache/new")).hasContent("n");
  }

  @Test
  void devicesFifosOwnershipAndXattrs() throws IOException {
    Path dest = Files.createDirectories(tmp.resolve("fs"));
    new LayerUnpacker().unpack(new ByteArrayInputStream(new TarBuilder()
        .charDevice("dev/null", 1, 3)
        .fifo("run/fifo")
        .file("home/u/f", "x", 0600, 1000, 1001)
        .symlink("home/u/l", "f")
        .fileWithXattr("bin/ping", "p", "security.capability.test", "ignored-if-unsupported")
        .fileWithXattr("bin/tagged", "t", "user.jcompose", "yes")
        .tar()), dest, "l");

    Path dev = dest.resolve("dev/null");
    assertThat((Integer) Files.getAttribute(dev, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
        .isEqualTo(0020000);
    assertThat(Files.getAttribute(dev, "unix:rdev", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Posix.makedev(1, 3));
    assertThat((Integer) Files.getAttribute(dest.resolve("run/fifo"), "unix:mode") & 0170000)
        .isEqualTo(0010000);
    assertThat(Files.getAttribute(dest.resolve("home/u/f"), "unix:uid")).isEqualTo(1000);
    assertThat(Files.getAttribute(dest.resolve("home/u/f"), "unix:gid")).isEqualTo(1001);
    assertThat(xattr(dest.resolve("bin/tagged"), "user.jcompose")).isEqualTo("yes");
  }

  @Test
  void workDirectoryIsMarkedAsATopDirectoryOnExt4() throws IOException, InterruptedException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.getFileStore(tmp).type().startsWith("ext"), "the top-directory flag is ext2/3/4's");
    Path work = Files.createDirectories(tmp.resolve("tmp"));
    LayerUnpacker.prepareWorkDirectory(work);
    LayerUnpacker.prepareWorkDirectory(work); // again: already set is fine
    Process p = new ProcessBuilder("lsattr", "-d", work.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.substring(0, out.indexOf(' '))).contains("T");
  }

  private static String xattr(Path p, String name) throws IOException {
    byte[] v = Posix.lgetxattr(p, name);
    return v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
  }
}
