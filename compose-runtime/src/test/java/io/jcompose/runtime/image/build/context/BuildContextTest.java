package io.jcompose.runtime.image.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("requirements.txt", "flask\n");
    write("app/main.py", "print(1)\n");
    write("app/util.py", "x = 1\n");
    write("app/data/x.json", "{}\n");
    write("secrets/key.pem", "KEY\n");
    write(".env", "TOKEN=1\n");
    write(".dockerignore", "secrets\n.env\n**/*.pyc\n");
    write("app/cache.pyc", "bin\n");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("requirements.txt"));
  }

  private void write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private static List<String> names(List<ContextFile> files) {
    return files.stream().map(ContextFile::name).toList();
  }

  @Test
  void selectsFilesDirectoriesAndWildcards() {
    BuildContext ctx = BuildContext.open(dir, dir.resolve("Dockerfile"));
    assertThat(names(ctx.select("requirements.txt"))).containsExactly("");
    assertThat(names(ctx.select("app"))).containsExactly("", "data", "data/x.json", "main.py", "util.py");
    assertThat(names(ctx.select("app/*.py"))).containsExactly("main.py", "util.py");
    assertThat(names(ctx.select("./app/../app/main.py"))).containsExactly("");
    assertThat(ctx.select("link").getFirst().linkTarget()).isEqualTo("requirements.txt");
    List<String> all = names(ctx.select("."));
    assertThat(all).contains("Dockerfile", "app/main.py", ".dockerignore").doesNotContain("secrets", "secrets/key.pem", ".env", "app/cache.pyc");
  }

  @Test
  void ignoredOrMissingSourcesAreErrors() {
    BuildContext ctx = BuildContext.open(dir, dir.resolve("Dockerfile"));
    assertThatThrownBy(() -> ctx.select("secrets/key.pem"))
        .hasMessage("\"secrets/key.pem\": not found in build context or excluded by .dockerignore");
    assertThatThrownBy(() -> ctx.select(".env")).isInstanceOf(ContextException.class);
    assertThatThrownBy(() -> ctx.select("nope/*.txt")).isInstanceOf(ContextException.class);
    // ".." cannot leave the context: it resolves inside it
    assertThatThrownBy(() -> ctx.select("../../etc/passwd")).isInstanceOf(ContextException.class);
  }

  @Test
  void exceptionsInsideAnIgnoredDirectory() throws IOException {
    write(".dockerignore", "secrets\n!secrets/public.txt\n");
    write("secrets/public.txt", "ok\n");
    BuildContext ctx = BuildContext.open(dir, dir.resolve("Dockerfile"));
    assertThat(names(ctx.select("."))).contains("secrets/public.txt").doesNotContain("secrets/key.pem");
  }

  @Test
  void dockerfileSpecificIgnoreFileWins() throws IOException {
    write("build/app.Dockerfile", "FROM scratch\n");
    write("build/app.Dockerfile.dockerignore", "requirements.txt\n");
    BuildContext ctx = BuildContext.open(dir, dir.resolve("build/app.Dockerfile"));
    assertThatThrownBy(() -> ctx.select("requirements.txt")).isInstanceOf(ContextException.class);
    assertThat(names(ctx.select("secrets"))).contains("key.pem");
  }

  @Test
  void checksumFollowsContentModeAndNamesNotMtimes() throws IOException {
    BuildContext ctx = BuildContext.open(dir, null);
    String before = ctx.checksum(List.of("requirements.txt", "app"));
    Files.setLastModifiedTime(dir.resolve("app/main.py"), FileTime.fromMillis(1_000));
    Files.setLastModifiedTime(dir.resolve("requirements.txt"), FileTime.fromMillis(2_000));
    assertThat(BuildContext.open(dir, null).checksum(List.of("requirements.txt", "app"))).isEqualTo(before);

    write("app/main.py", "print(2)\n");
    String changed = BuildContext.open(dir, null).checksum(List.of("requirements.txt", "app"));
    assertThat(changed).isNotEqualTo(before);
    // an ignored file does not count
    write("app/other.pyc", "zzz\n");
    assertThat(BuildContext.open(dir, null).checksum(List.of("requirements.txt", "app"))).isEqualTo(changed);

    Files.setPosixFilePermissions(dir.resolve("app/util.py"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(BuildContext.open(dir, null).checksum(List.of("requirements.txt", "app"))).isNotEqualTo(changed);
    // only the selected sources count
    assertThat(BuildContext.open(dir, null).checksum(List.of("requirements.txt")))
        .isEqualTo(ctx.checksum(List.of("requirements.txt")));
  }

  @Test
  void renameChangesTheChecksum() throws IOException {
    String before = BuildContext.open(dir, null).checksum(List.of("app"));
    Files.move(dir.resolve("app/util.py"), dir.resolve("app/utils.py"));
    assertThat(BuildContext.open(dir, null).checksum(List.of("app"))).isNotEqualTo(before);
  }

  @Test
  void dockerfileSources() throws IOException {
    assertThat(DockerfileSource.resolve(dir, null, null).text()).isEqualTo("FROM scratch\n");
    assertThat(DockerfileSource.resolve(dir, null, "FROM busybox\n").path()).isNull();
    write("docker/prod.Dockerfile", "FROM a\n");
    DockerfileSource s = DockerfileSource.resolve(dir, "docker/prod.Dockerfile", null);
    assertThat(s.name()).isEqualTo("docker/prod.Dockerfile");
    assertThatThrownBy(() -> DockerfileSource.resolve(dir, "nope", null))
        .hasMessage("failed to read dockerfile: open nope: no such file or directory");
    assertThatThrownBy(() -> DockerfileSource.resolve(dir, "x", "FROM a")).isInstanceOf(ContextException.class);
  }
}
