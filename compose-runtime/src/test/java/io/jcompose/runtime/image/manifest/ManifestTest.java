package io.jcompose.runtime.image.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {

  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final String D3 = "sha256:" + "3".repeat(64);
  private static final String D4 = "sha256:" + "4".repeat(64);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final String INDEX = """
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,
         "platform":{"os":"linux","architecture":"arm","variant":"v7"}},
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,
         "platform":{"os":"linux","architecture":"amd64"}},
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,
         "platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,
         "platform":{"os":"unknown","architecture":"unknown"}}]}""".formatted(D1, D2, D3, D4);

  @Test
  void selectsPlatformsFromAnIndex() {
    Manifest.ImageIndex index = (Manifest.ImageIndex) Manifest.parse(b(INDEX), null);
    assertThat(index.select(Platform.parse("linux/amd64")).digest().toString()).isEqualTo(D2);
    assertThat(index.select(Platform.parse("linux/arm64")).digest().toString()).isEqualTo(D3);
    assertThat(index.select(Platform.parse("linux/arm64/v8")).digest().toString()).isEqualTo(D3);
    assertThat(index.select(Platform.parse("linux/arm/v7")).digest().toString()).isEqualTo(D1);
    assertThatThrownBy(() -> index.select(Platform.parse("linux/riscv64")))
        .isInstanceOf(ManifestException.class)
        .hasMessage("no image for platform linux/riscv64 in the manifest list (it has"
            + " [linux/arm/v7, linux/amd64, linux/arm64])");
  }

  @Test
  void parsesDockerSchema2UsingContentTypeWhenTheFieldIsMissing() {
    String m = """
        {"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json",
         "digest":"%s","size":7},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip",
         "digest":"%s","size":99}]}""".formatted(D1, D2);
    Manifest.ImageManifest im = (Manifest.ImageManifest) Manifest.parse(b(m), MediaTypes.DOCKER_MANIFEST);
    assertThat(im.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(im.config().size()).isEqualTo(7);
    assertThat(im.layers()).singleElement().matches(l -> l.size() == 99);
  }

  @Test
  void rejectsSchema1AndGarbage() {
    assertThatThrownBy(() -> Manifest.parse(b("{\"schemaVersion\":1}"), null))
        .hasMessageContaining("unsupported manifest schemaVersion 1");
    assertThatThrownBy(() -> Manifest.parse(b("not json"), null))
        .hasMessageContaining("manifest is not valid JSON");
    assertThatThrownBy(() -> Manifest.parse(b("{\"schemaVersion\":2,\"mediaType\":\"x/y\"}"), null))
        .hasMessage("unsupported manifest media type \"x/y\"");
  }

  @Test
  void platformParsingAndNormalisation() {
    assertThat(Platform.parse("linux/x86_64")).isEqualTo(new Platform("linux", "amd64", null));
    assertThat(Platform.parse("linux/aarch64/v8").toString()).isEqualTo("linux/arm64");
    assertThat(Platform.host().os()).isEqualTo("linux");
    assertThatThrownBy(() -> Platform.parse("arm64"))
        .hasMessage("invalid platform \"arm64\": expected os/arch[/variant], e.g. linux/arm64");
  }

  @Test
  void parsesImageConfigWithUnsetFieldsAsNull() {
    ImageConfig c = ImageConfig.parse(b("""
        {"architecture":"amd64","os":"linux","config":{"Env":["A=1"],"Cmd":null},
         "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(D1)));
    assertThat(c.env()).containsExactly("A=1");
    assertThat(c.cmd()).isNull();
    assertThat(c.entrypoint()).isNull();
    assertThat(c.healthcheck()).isNull();
    assertThat(c.workingDir()).isEmpty();
    assertThat(c.diffIds()).hasSize(1);
    assertThat(c.platform()).isEqualTo(Platform.parse("linux/amd64"));
  }
}
