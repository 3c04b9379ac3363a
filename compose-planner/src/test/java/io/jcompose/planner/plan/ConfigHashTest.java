package io.jcompose.planner.plan;

import static io.jcompose.planner.testing.Fixtures.record;
import static io.jcompose.planner.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.Healthcheck;
import io.jcompose.model.PortConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigHashTest {

  @Test
  void canonicalJsonIsSortedAndLeavesOutAbsentValues() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("Z", "1");
    env.put("A", "");
    var s = service("web", "image", "nginx:1.27", "environment", env, "command", List.of("run"),
        "ports", List.of(record(PortConfig.class, Map.of("target", 80, "published", "8080", "protocol", "tcp"))));
    assertThat(ConfigHash.canonicalJson(s)).isEqualTo(
        "{\"command\":[\"run\"],\"environment\":{\"A\":\"\",\"Z\":\"1\"},\"image\":\"nginx:1.27\","
            + "\"ports\":[{\"protocol\":\"tcp\",\"published\":\"8080\",\"target\":80}]}");
  }

  @Test
  void hashIsStableAcrossRunsAndInsertionOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("X", "1");
    a.put("Y", "2");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("Y", "2");
    b.put("X", "1");
    var hc = new Healthcheck(List.of("CMD", "true"), Duration.ofSeconds(1), Duration.ofSeconds(2), 3L, null, null, false, Map.of());
    String h1 = ConfigHash.of(service("s", "environment", a, "healthcheck", hc));
    assertThat(ConfigHash.of(service("s", "environment", b, "healthcheck", hc))).isEqualTo(h1);
    // a regression guard: this value changes only when the canonical form changes, which would
    // make every existing container look diverged after an upgrade
    assertThat(ConfigHash.of(service("s", "image", "busybox"))).isEqualTo(sha256("{\"image\":\"busybox\"}"));
  }

  /**
   * The hash of a service with many kinds of values (lists, sorted maps, records, durations,
   * numbers, booleans, left-out keys), pinned as a literal: containers carry it in
   * {@code com.docker.compose.config-hash}, so any change to how it is computed (another JSON
   * writer, a faster walk of the model) must keep it, or every container is recreated after an upgrade.
   */
  @Test
  void theHashOfARichServiceIsPinned() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("Z", "1");
    env.put("A", "");
    var hc = new Healthcheck(List.of("CMD", "redis-cli", "ping"), Duration.ofSeconds(1), Duration.ofMillis(3500), 30L, null, null,
        false, Map.of());
    var s = service("cache", "image", "redis:7.0", "environment", env, "command", List.of("redis-server", "--save", ""),
        "ports", List.of(record(PortConfig.class, Map.of("target", 6379, "published", "16379", "protocol", "tcp"))),
        "healthcheck", hc, "labels", Map.of("b", "2", "a", "1"), "stopGracePeriod", Duration.ofSeconds(2),
        "privileged", true, "shmSize", 67108864L, "cpus", 1.5, "scale", 3, "profiles", List.of("debug"),
        "pullPolicy", "always", "tmpfs", List.of("/run"));
    assertThat(ConfigHash.of(s)).isEqualTo("331a015c8ea76559f1149d0c34cbe1ce4bee78235fc4caa53b936406d86acbdb");
    var withoutLeftOut = service("cache", "image", "redis:7.0", "environment", env, "command", List.of("redis-server", "--save", ""),
        "ports", s.ports(), "healthcheck", hc, "labels", Map.of("a", "1", "b", "2"), "stopGracePeriod", Duration.ofSeconds(2),
        "privileged", true, "shmSize", 67108864L, "cpus", 1.5, "tmpfs", List.of("/run"));
    assertThat(ConfigHash.of(withoutLeftOut)).as("scale, profiles and pull_policy are not in the hash").isEqualTo(ConfigHash.of(s));
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
