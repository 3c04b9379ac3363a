package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code X-Registry-Auth} the CLI sends for a pull or push, from the user's Docker config. */
class RegistryLoginsTest {

  @TempDir Path dockerConfig;

  private Map<String, String> env() {
    return Map.of("DOCKER_CONFIG", dockerConfig.toString());
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendsTheLoginOfTheImagesRegistryOnly() throws Exception {
    Files.writeString(dockerConfig.resolve("config.json"), """
        {"auths": {"127.0.0.1:5001": {"auth": "%s"},
                   "https://index.docker.io/v1/": {"auth": "%s"}}}
        """.formatted(basic("jcompose", "jcompose-pass"), basic("hub", "hub-pass")));

    JsonNode own = JsonMapper.builder().build().readTree(RegistryLogins.authJson(env(), "127.0.0.1:5001/library/busybox:latest"));
    assertThat(own.path("username").asString()).isEqualTo("jcompose");
    assertThat(own.path("password").asString()).isEqualTo("jcompose-pass");
    assertThat(own.path("serveraddress").asString()).isEqualTo("127.0.0.1:5001");

    JsonNode hub = JsonMapper.builder().build().readTree(RegistryLogins.authJson(env(), "redis:7"));
    assertThat(hub.path("username").asString()).isEqualTo("hub");
    assertThat(hub.path("serveraddress").asString()).isEqualTo("docker.io");

    assertThat(RegistryLogins.authJson(env(), "127.0.0.1:5000/library/busybox")).isNull();
  }

  @Test
  void noConfigOrABadReferenceSendsNothing() {
    assertThat(RegistryLogins.authJson(env(), "127.0.0.1:5001/library/busybox")).isNull();
    assertThat(RegistryLogins.authJson(env(), "Not A Reference")).isNull();
  }
}
