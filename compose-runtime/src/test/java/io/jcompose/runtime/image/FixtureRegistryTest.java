package io.jcompose.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.registry.RegistryCredentials;
import io.jcompose.runtime.image.registry.RegistryException;
import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pulls the project's fixture images ({@code fixtures/registry up}: anonymous on
 * 127.0.0.1:5000, basic auth on 127.0.0.1:5001), skipping with a message when they are not up.
 */
@Tag("registry")
@Tag("root")
class FixtureRegistryTest {

  private static final String ANON = "127.0.0.1:5000";
  private static final String AUTH = "127.0.0.1:5001";

  @TempDir Path dataRoot;

  private static int status(String hostPort) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static void assumeUp(String hostPort) {
    Root.assume();
    int s = status(hostPort);
    assumeTrue(s == 200 || s == 401, "fixture registry " + hostPort
        + " is not reachable (start it with `fixtures/registry up`)");
  }

  private static RegistryConfig mirrorConfig() {
    return RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS)
        .withMirrors(List.of(URI.create("http://" + ANON)))
        .withDockerHubEndpoint(URI.create("http://127.0.0.1:1"))
        .withRetries(2, Duration.ofMillis(10));
  }

  @Test
  void pullsMultiPlatformBusyboxThroughTheMirror() throws IOException {
    assumeUp(ANON);
    try (ImageService images = new ImageService(dataRoot, mirrorConfig())) {
      Image host = images.pull("busybox", null, PullProgressListener.NONE);
      assertThat(host.repoTags()).containsExactly("docker.io/library/busybox:latest");
      assertThat(images.config(host).architecture()).isEqualTo(Platform.host().architecture());
      assertThat(images.lowerDirs(host)).isNotEmpty().allMatch(Files::isDirectory);
      Image arm = images.pull("busybox:latest", Platform.parse("linux/arm64"), PullProgressListener.NONE);
      assertThat(images.config(arm).architecture()).isEqualTo("arm64");
      assertThat(arm.id()).isNotEqualTo(host.id());
    }
  }

  @Test
  void pullsFromTheBasicAuthFixtureAndRejectsAWrongPassword() throws IOException {
    assumeUp(AUTH);
    RegistryConfig base = RegistryConfig.defaults().withRetries(2, Duration.ofMillis(10));
    AuthSource good = h -> Optional.of(new RegistryCredentials("jcompose", "jcompose-pass"));
    AuthSource bad = h -> Optional.of(new RegistryCredentials("jcompose", "nope"));
    try (ImageService images = new ImageService(dataRoot, base.withAuth(good))) {
      Image image = images.pull(AUTH + "/library/busybox:latest", null, PullProgressListener.NONE);
      assertThat(images.lowerDirs(image)).allMatch(Files::isDirectory);
    }
    try (ImageService images = new ImageService(dataRoot, base.withAuth(bad))) {
      assertThatThrownBy(() -> images.pull(AUTH + "/library/busybox:latest", null, PullProgressListener.NONE))
          .isInstanceOf(RegistryException.Unauthorized.class)
          .hasMessageContaining("wrong username or password");
    }
  }

  @Test
  void pullsEveryFixtureImage() throws Exception {
    assumeUp(ANON);
    JsonMapper json = JsonMapper.builder().build();
    List<String> refs = new ArrayList<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      JsonNode catalog = json.readTree(http.send(HttpRequest.newBuilder(
          URI.create("http://" + ANON + "/v2/_catalog")).build(), HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode repo : catalog.path("repositories")) {
        JsonNode tags = json.readTree(http.send(HttpRequest.newBuilder(
            URI.create("http://" + ANON + "/v2/" + repo.asString() + "/tags/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        tags.path("tags").forEach(t -> refs.add(ANON + "/" + repo.asString() + ":" + t.asString()));
      }
    }
    assertThat(refs).isNotEmpty();
    try (ImageService images = new ImageService(dataRoot, mirrorConfig())) {
      for (String ref : refs) {
        Image image = images.pull(ref, null, PullProgressListener.NONE);
        assertThat(images.lowerDirs(image)).as(ref).hasSize(image.layers().size())
            .allMatch(Files::isDirectory);
      }
      assertThat(images.list()).hasSizeGreaterThanOrEqualTo(refs.size() - 1);
    }
  }
}
