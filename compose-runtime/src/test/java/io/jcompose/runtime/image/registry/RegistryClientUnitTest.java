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
        }}""");
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

  /** A credential helper speaking the docker-credential-helpers protocol, keeping one file per server. */
  private Path writeHelper(String name) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-" + name);
    Files.writeString(helper, """
        #!/bin/sh
        store="$(dirname "$0")/store-%s"
        mkdir -p "$store"
        key() { printf '%%s' "$1" | tr '/:' '__'; }
        case "$1" in
          get) read -r server; f="$store/$(key "$server")"
               if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
          store) json=$(cat); server=$(printf '%%s' "$json" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/')
                 printf '%%s' "$json" > "$store/$(key "$server")" ;;
          erase) read -r server; f="$store/$(key "$server")"
                 if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
          *) echo "unknown verb $1"; exit 2 ;;
        esac
        """.formatted(name));
    Files.setPosixFilePermissions(helper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void credentialHelpersStoreGetAndEraseAsTheDockerCliUsesThem() throws Exception {
    Path bin = writeHelper("jctest");
    writeHelper("jcother");
    Path file = tmp.resolve("helpers/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        {"auths": {"quay.io": {"auth": "cTpxcA=="}}, "credsStore": "jctest",
         "credHelpers": {"127.0.0.1:5001": "jcother"}}""");
    DockerConfigAuthSource auth = new DockerConfigAuthSource(file, List.of(bin));

    assertThat(auth.lookup("127.0.0.1:5001")).as("nothing stored yet").isEmpty();
    assertThat(auth.lookup("quay.io")).as("the file's entry when the store has none").contains(new RegistryCredentials("q", "qp"));

    auth.save("127.0.0.1:5001", new RegistryCredentials("jcompose", "jcompose-pass"));
    auth.save("docker.io", new RegistryCredentials("hub", "hubpass"));
    assertThat(auth.lookup("127.0.0.1:5001")).contains(new RegistryCredentials("jcompose", "jcompose-pass"));
    assertThat(auth.lookup("index.docker.io")).contains(new RegistryCredentials("hub", "hubpass"));
    assertThat(bin.resolve("store-jcother/127.0.0.1_5001")).as("per-registry helper wins over credsStore").exists();
    assertThat(bin.resolve("store-jctest/https___index.docker.io_v1_")).as("Docker Hub under its v1 address").exists();
    assertThat(Files.readString(file)).as("secrets stay out of the file").doesNotContain("jcompose-pass").doesNotContain("aHVi")
        .contains("127.0.0.1:5001").contains("https://index.docker.io/v1/");

    assertThat(auth.remove("127.0.0.1:5001")).isTrue();
    assertThat(auth.lookup("127.0.0.1:5001")).isEmpty();
    assertThat(auth.remove("127.0.0.1:5001")).isFalse();

    DockerConfigAuthSource noHelpers = new DockerConfigAuthSource(file, List.of());
    assertThatThrownBy(() -> noHelpers.lookup("docker.io"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("credential helper docker-credential-jctest not found on the PATH"
            + " (install it, or remove \"jctest\" from credsStore/credHelpers in the Docker config file)");
  }
}
