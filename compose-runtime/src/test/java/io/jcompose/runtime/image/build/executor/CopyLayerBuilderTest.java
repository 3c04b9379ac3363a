package io.jcompose.runtime.image.build.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.build.context.BuildContext;
import io.jcompose.runtime.image.build.dockerfile.DockerfileParser;
import io.jcompose.runtime.image.build.dockerfile.Stage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyLayerBuilderTest {
  @TempDir Path ctxDir;
  @TempDir Path out;
  @TempDir Path lower;

  /** name → "mode uid:gid [content|->target]" */
  private Map<String, String> entries;
  private LayerBlob blob;

  @BeforeEach
  void context() throws IOException {
    write("requirements.txt", "flask\n");
    write("app/main.py", "print(1)\n");
    write("app/sub/x.txt", "x\n");
    write(".dockerignore", "app/sub\n");
    Files.setPosixFilePermissions(ctxDir.resolve("app/main.py"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createDirectories(lower.resolve("etc"));
    Files.createDirectories(lower.resolve("usr/src"));
    Files.writeString(lower.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
    Files.writeString(lower.resolve("etc/group"), "root:x:0:\nstaff:x:50:\napp:x:1001:\n");
  }

  private void write(String name, String content) throws IOException {
    Path p = ctxDir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void copy(String dockerfileTail, ImageFs image) throws IOException {
    Stage stage = DockerfileParser.parse("Dockerfile", "FROM scratch\n" + dockerfileTail).stages().getFirst();
    ImageConfigBuilder config = ImageConfigBuilder.scratch("linux", "amd64", null);
    List<Step> steps = new StageEvaluator("Dockerfile", '\\', Map.of(), Map.of(), Map.of()).evaluate(stage, config);
    Step.Copy step = (Step.Copy) steps.getLast();
    blob = new CopyLayerBuilder("Dockerfile").write(step, BuildContext.open(ctxDir, null), image, out.resolve("layer.tar.gz"));
    entries = read(blob.file());
  }

  private static Map<String, String> read(Path gz) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(gz)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String v = Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":" + e.getLongGroupId();
        if (e.isFile()) {
          v += " " + new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        } else if (e.isSymbolicLink()) {
          v += " ->" + e.getLinkName();
        }
        m.put(e.getName(), v);
      }
    }
    return m;
  }

  @Test
  void fileIntoDirectoryAndDigests() throws Exception {
    copy("WORKDIR /srv/app\nCOPY requirements.txt ./\n", ImageFs.empty());
    assertThat(entries).containsExactly(
        Map.entry("srv/", "755 0:0"),
        Map.entry("srv/app/", "755 0:0"),
        Map.entry("srv/app/requirements.txt", "644 0:0 flask\n"));
    byte[] tar;
    try (var in = new GZIPInputStream(Files.newInputStream(blob.file()))) {
      tar = in.readAllBytes();
    }
    assertThat(blob.diffId()).isEqualTo("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar)));
    assertThat(blob.digest()).isEqualTo("sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(blob.file()))));
    assertThat(blob.size()).isEqualTo(Files.size(blob.file()));
  }

  @Test
  void directoryContentWithIgnoreAndExistingParents() throws IOException {
    copy("COPY app /usr/src/\n", ImageFs.layers(List.of(lower)));
    // /usr and /usr/src exist in the image: not rewritten; the ignored app/sub is left out
    assertThat(entries).containsOnlyKeys("usr/src/main.py");
    assertThat(entries.get("usr/src/main.py")).isEqualTo("750 0:0 print(1)\n");
  }

  @Test
  void fileRenamedWhenDestinationHasNoSlash() throws IOException {
    copy("COPY requirements.txt /req.txt\n", ImageFs.empty());
    assertThat(entries).containsOnlyKeys("req.txt");
  }

  @Test
  void chownByNameAndChmod() throws IOException {
    copy("COPY --chown=app:staff --chmod=0600 app/main.py requirements.txt /home/app/\n", ImageFs.layers(List.of(lower)));
    assertThat(entries).containsEntry("home/app/main.py", "600 1000:50 print(1)\n")
        .containsEntry("home/app/requirements.txt", "600 1000:50 flask\n")
        .containsEntry("home/", "755 1000:50");
    copy("COPY --chown=app requirements.txt /r\n", ImageFs.layers(List.of(lower)));
    assertThat(entries.get("r")).startsWith("644 1000:1001");
    assertThatThrownBy(() -> copy("COPY --chown=nobody x /x\n", ImageFs.layers(List.of(lower))))
        .hasMessageContaining("Dockerfile:2: unable to convert uid/gid chown string to host mapping: can't find uid for user nobody");
    assertThatThrownBy(() -> copy("COPY --chmod=u+x requirements.txt /x\n", ImageFs.empty()))
        .hasMessageStartingWith("Dockerfile:2: invalid chmod parameter: u+x");
  }

  @Test
  void heredocSource() throws IOException {
    copy("COPY <<EOF /etc/motd\nwelcome\nEOF\n", ImageFs.layers(List.of(lower)));
    assertThat(entries).containsExactly(Map.entry("etc/motd", "644 0:0 welcome\n"));
  }

  @Test
  void addExtractsLocalArchivesAndRefusesUrls() throws IOException {
    try (OutputStream f = Files.newOutputStream(ctxDir.resolve("bundle.tar.gz"));
        TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(f))) {
      TarArchiveEntry d = new TarArchiveEntry("bundle/");
      d.setMode(0750);
      t.putArchiveEntry(d);
      t.closeArchiveEntry();
      byte[] data = "hi\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("bundle/../../escape.txt");
      e.setSize(data.length);
      e.setMode(0640);
      e.setIds(7, 8);
      t.putArchiveEntry(e);
      new ByteArrayInputStream(data).transferTo(t);
      t.closeArchiveEntry();
    }
    copy("ADD bundle.tar.gz /opt\n", ImageFs.empty());
    assertThat(entries).containsExactly(
        Map.entry("opt/", "755 0:0"),
        Map.entry("opt/bundle/", "750 0:0"),
        Map.entry("opt/escape.txt", "640 7:8 hi\n"));
    // COPY does not extract
    copy("COPY bundle.tar.gz /opt/\n", ImageFs.empty());
    assertThat(entries).containsOnlyKeys("opt/", "opt/bundle.tar.gz");
    assertThatThrownBy(() -> copy("ADD https://example.com/x.tgz /x\n", ImageFs.empty()))
        .hasMessageStartingWith("Dockerfile:2: ADD https://example.com/x.tgz: fetching URLs is not supported");
  }

  @Test
  void missingSourceNamesTheLine() {
    assertThatThrownBy(() -> copy("COPY nope /x\n", ImageFs.empty()))
        .hasMessage("Dockerfile:2: \"nope\": not found in build context or excluded by .dockerignore");
    assertThatThrownBy(() -> copy("COPY app/sub/x.txt /x\n", ImageFs.empty()))
        .hasMessageContaining("excluded by .dockerignore");
  }

  @Test
  void wildcardGoesInto() throws IOException {
    copy("COPY app/*.py /dst\n", ImageFs.empty());
    assertThat(entries).containsOnlyKeys("dst/", "dst/main.py");
  }
}
