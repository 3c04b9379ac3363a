package io.jcompose.runtime.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.reference.ImageReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pure logic of the registry client: challenges, endpoints, credentials lookup. */
class RegistryClientUnitTest {

  @TempDir Path tmp;

  @Test
  void parsesBearerAndBasicChallenges() {
    AuthChallenge c = AuthChallenge.parse(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            + "scope=\"repository:library/busybox:pull\"");
    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
    assertThat(c.param("service")).isEqualTo("registry.docker.io");
    assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull");
    assertThat(AuthChallenge.parse("Basic realm=\"x\"").scheme()).isEqualTo("basic");
  }

  @Test
  void plainHttpOnlyForLoopbackAndInsecureRegistries() {
    RegistryConfig cfg = RegistryConfig.defaults().withInsecureRegistries(Set.of("reg.lan:5000"));
    assertThat(cfg.isPlainHttp("localhost:5000")).isTrue();
    assertThat(cfg.isPlainHttp("127.0.0.1:5000")).isTrue();
    assertThat(cfg.isPlainHttp("127.1.2.3")).isTrue();
    assertThat(cfg.isPlainHttp("[::1]:5000")).isTrue();
    assertThat(cfg.isPlainHttp("reg.lan:5000")).isTrue();
    assertThat(cfg.isPlainHttp("reg.lan:5001")).isFalse();
    assertThat(cfg.isPlainHttp("quay.io")).isFalse();
  }

  @Test
  void dockerHubGoesToMirrorsFirstWithTheLibraryPath() {
    RegistryConfig cfg = RegistryConfig.defaults()
        .withMirrors(List.of(URI.create("http://127.0.0.1:5000")));
    try (RegistryClient client = new RegistryClient(cfg)) {
      List<RegistryEndpoint> eps = client.endpoints(ImageReference.parse("busybox"), false);
      assertThat(eps).hasSize(2);
      assertThat(eps.get(0).uri("manifests", "latest").toString())
          .isEqualTo("http://127.0.0.1:5000/v2/library/busybox/manifests/latest");
      assertThat(eps.get(0).mirror()).isTrue();
      assertThat(eps.get(1).uri("manifests", "latest").toString())
          .isEqualTo("https://registry-1.docker.io/v2/library/busybox/manifests/latest");
      assertThat(client.endpoints(ImageReference.parse("busybox"), true)).hasSize(1);
      assertThat(client.endpoints(ImageReference.parse("quay.io/a/b"), false))
          .singleElement().matches(e -> e.base().toString().equals("https://quay.io"));
    }
    assertThatThrownBy(() -> RegistryConfig.defaults().withMirrors(List.of(URI.create("ftp://x"))))
        .hasMessageContaining("invalid registry mirror");
  }

  @Test
  void readsDockerConfigAuths() throws Exception {
    Path file = tmp.resolve("config.json");
    Files.writeString(file, """
        {"auths": {
          "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M="},
          "http://127.0.0.1:5001/v2/": {"auth": "amNvbXBvc2U6amNvbXBvc2UtcGFzcw=="},
          "quay.io": {"username": "q", "password": "qp"}
        }, "credsStore": "desktop"}""");
    DockerConfigAuthSource auth = new DockerConfigAuthSource(file);
    assertThat(auth.lookup("docker.io")).contains(new RegistryCredentials("hub", "hubpass"));
    assertThat(auth.lookup("127.0.0.1:5001"))
        .contains(new RegistryCredentials("jcompose", "jcompose-pass"));
    assertThat(auth.lookup("quay.io")).contains(new RegistryCredentials("q", "qp"));
    assertThat(auth.lookup("127.0.0.1:5000")).isEmpty();
    assertThat(new DockerConfigAuthSource(tmp.resolve("absent.json")).lookup("x")).isEmpty();
    Files.writeString(file, "{\"auths\": {\"x\": {\"auth\": \"%%%\"}}}");
    assertThatThrownBy(() -> auth.lookup("x")).hasMessageContaining("invalid base64 \"auth\" for x");
    assertThat(new RegistryCredentials("u", "secret").toString()).doesNotContain("secret");
  }

  @Test
  void savesAndRemovesCredentialsKeepingOtherSettings() throws Exception {
    Path file = tmp.resolve("docker/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"auths\": {\"http://quay.io/v2/\": {\"auth\": \"cTpxcA==\"}},"
        + " \"psFormat\": \"table\"}");
    DockerConfigAuthSource auth = new DockerConfigAuthSource(file);
    auth.save("docker.io", new RegistryCredentials("hub", "p1"));
    auth.save("quay.io", new RegistryCredentials("q2", "p2"));
    assertThat(auth.lookup("docker.io")).contains(new RegistryCredentials("hub", "p1"));
    assertThat(auth.lookup("quay.io")).contains(new RegistryCredentials("q2", "p2"));
    String text = Files.readString(file);
    assertThat(text).contains("https://index.docker.io/v1/").contains("psFormat")
        .doesNotContain("http://quay.io/v2/");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(auth.remove("quay.io")).isTrue();
    assertThat(auth.remove("quay.io")).isFalse();
    assertThat(auth.lookup("quay.io")).isEmpty();
  }
}
