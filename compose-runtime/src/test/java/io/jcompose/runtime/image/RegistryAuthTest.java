package io.jcompose.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.DockerConfigAuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.registry.RegistryCredentials;
import io.jcompose.runtime.image.registry.RegistryException;
import io.jcompose.testsupport.RegistryServer;
import io.jcompose.runtime.image.support.Root;
import io.jcompose.runtime.image.support.TarBuilder;
import io.jcompose.runtime.image.support.TestImages;
import io.jcompose.runtime.image.support.TestImages.Pusher;
import io.jcompose.runtime.image.support.TokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic (htpasswd -B) and token authentication against real registries. */
@Tag("registry")
@Tag("root")
class RegistryAuthTest {

  @TempDir Path dir;
  @TempDir Path dataRoot;

  @BeforeEach
  void needRoot() {
    Root.assume();
  }

  private static AuthSource creds(String user, String password) {
    return host -> Optional.of(new RegistryCredentials(user, password));
  }

  private ImageService service(AuthSource auth) {
    return new ImageService(dataRoot, RegistryConfig.defaults().withAuth(auth)
        .withRetries(2, Duration.ofMillis(10)));
  }

  private static byte[] layer() {
    return new TarBuilder().file("hello", "auth").tar();
  }

  @Test
  void basicAuthWithDockerConfigFileAndClearErrors() throws Exception {
    try (RegistryServer registry = RegistryServer.basicAuth(dir, "jcompose", "jcompose-pass")) {
      String basic = new RegistryCredentials("jcompose", "jcompose-pass").basicHeader();
      TestImages.push(new Pusher(registry.base(), basic), "private/app", "1", "amd64", false,
          List.of(TestImages.gzip(layer(), false)));
      String ref = registry.host() + "/private/app:1";

      Path config = dir.resolve("docker/config.json");
      Files.createDirectories(config.getParent());
      String auth = Base64.getEncoder().encodeToString("jcompose:jcompose-pass".getBytes(StandardCharsets.UTF_8));
      Files.writeString(config, """
          {"auths": {"http://%s/v2/": {"auth": "%s"}}}""".formatted(registry.host(), auth));
      try (ImageService images = service(new DockerConfigAuthSource(config))) {
        Image image = images.pull(ref, null, PullProgressListener.NONE);
        assertThat(images.lowerDirs(image).getFirst().resolve("hello")).hasContent("auth");
      }
      try (ImageService images = service(creds("jcompose", "wrong"))) {
        assertThatThrownBy(() -> images.pull(ref, null, PullProgressListener.NONE))
            .isInstanceOf(RegistryException.Unauthorized.class)
            .hasMessage("login to registry " + registry.host()
                + " failed for user \"jcompose\": wrong username or password"
                + " (check ~/.docker/config.json or log in again)");
      }
      try (ImageService images = service(AuthSource.ANONYMOUS)) {
        assertThatThrownBy(() -> images.pull(ref, null, PullProgressListener.NONE))
            .isInstanceOf(RegistryException.Unauthorized.class)
            .hasMessageContaining("requires authentication");
      }
    }
  }

  @Test
  void bearerTokenFlowAgainstARegistryTrustingOurTokenServer() throws Exception {
    try (TokenServer tokens = new TokenServer(dir, "tokuser", "tokpass");
        RegistryServer registry = RegistryServer.tokenAuth(dir, tokens.realm(),
            TokenServer.SERVICE, TokenServer.ISSUER, tokens.certPem())) {
      String bearer = "Bearer " + tokens.mint("tok/app", "pull", "push");
      TestImages.push(new Pusher(registry.base(), bearer), "tok/app", "1", "amd64", true,
          List.of(TestImages.gzip(layer(), true)));
      String ref = registry.host() + "/tok/app:1";

      try (ImageService images = service(creds("tokuser", "tokpass"))) {
        Image image = images.pull(ref, null, PullProgressListener.NONE);
        assertThat(images.lowerDirs(image).getFirst().resolve("hello")).hasContent("auth");
      }
      assertThat(tokens.scopes()).contains("repository:tok/app:pull");
      try (ImageService images = service(creds("tokuser", "nope"))) {
        assertThatThrownBy(() -> images.pull(ref, null, PullProgressListener.NONE))
            .isInstanceOf(RegistryException.Unauthorized.class)
            .hasMessageContaining("wrong username or password");
      }
      try (ImageService images = service(AuthSource.ANONYMOUS)) {
        assertThatThrownBy(() -> images.pull(ref, null, PullProgressListener.NONE))
            .isInstanceOf(RegistryException.Unauthorized.class)
            .hasMessageContaining("pull access denied for " + registry.host() + "/tok/app")
            .hasMessageContaining("requires authentication");
      }
    }
  }
}
