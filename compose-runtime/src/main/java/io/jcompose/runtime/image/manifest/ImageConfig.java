package io.jcompose.runtime.image.manifest;

import io.jcompose.runtime.image.reference.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The parts of an image config (Docker {@code container.image.v1} / OCI {@code image.config.v1})
 * the engine runs containers from. Lists are {@code null} when the image does not set them (an
 * unset Cmd differs from an empty one for Docker's entrypoint rules).
 *
 * @param architecture e.g. {@code amd64}
 * @param os e.g. {@code linux}
 * @param variant e.g. {@code v7}, or {@code null}
 * @param created RFC 3339 creation time, or {@code null}
 * @param env {@code KEY=value} entries, never {@code null}
 * @param cmd default command, or {@code null}
 * @param entrypoint entrypoint, or {@code null}
 * @param workingDir working directory, or {@code ""}
 * @param user user, or {@code ""}
 * @param exposedPorts e.g. {@code 80/tcp}
 * @param volumes anonymous volume paths
 * @param healthcheck the image HEALTHCHECK, or {@code null}
 * @param labels image labels
 * @param stopSignal STOPSIGNAL, or {@code null}
 * @param shell SHELL, or {@code null}
 * @param diffIds {@code rootfs.diff_ids}: digests of the uncompressed layers, base first
 * @param history build history
 */
public record ImageConfig(
    String architecture,
    String os,
    String variant,
    String created,
    List<String> env,
    List<String> cmd,
    List<String> entrypoint,
    String workingDir,
    String user,
    Set<String> exposedPorts,
    Set<String> volumes,
    Healthcheck healthcheck,
    Map<String, String> labels,
    String stopSignal,
    List<String> shell,
    List<Digest> diffIds,
    List<History> history) {

  /**
   * An image HEALTHCHECK; durations are {@link Duration#ZERO} when unset (inherit default).
   *
   * @param test e.g. {@code ["CMD-SHELL", "curl -f http://localhost/"]}
   * @param interval time between probes
   * @param timeout time a probe may take
   * @param startPeriod grace period at start
   * @param startInterval probe interval during the start period
   * @param retries failures before unhealthy; 0 when unset
   */
  public record Healthcheck(
      List<String> test,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      int retries) {}

  /**
   * One build step.
   *
   * @param created RFC 3339 time or {@code null}
   * @param createdBy the instruction, or {@code null}
   * @param comment a comment, or {@code null}
   * @param emptyLayer whether the step made no layer
   */
  public record History(String created, String createdBy, String comment, boolean emptyLayer) {}

  /** Parses an image config blob. */
  public static ImageConfig parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new ManifestException("image config is not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode c = root.path("config");
    List<Digest> diffIds = new ArrayList<>();
    for (JsonNode d : root.path("rootfs").path("diff_ids")) {
      diffIds.add(Digest.parse(d.asString()));
    }
    List<History> history = new ArrayList<>();
    for (JsonNode h : root.path("history")) {
      history.add(
          new History(
              Json.text(h, "created"),
              Json.text(h, "created_by"),
              Json.text(h, "comment"),
              h.path("empty_layer").asBoolean(false)));
    }
    List<String> env = Json.strings(c, "Env");
    String workingDir = Json.text(c, "WorkingDir");
    String user = Json.text(c, "User");
    return new ImageConfig(
        Json.text(root, "architecture"),
        Json.text(root, "os"),
        Json.text(root, "variant"),
        Json.text(root, "created"),
        env == null ? List.of() : env,
        Json.strings(c, "Cmd"),
        Json.strings(c, "Entrypoint"),
        workingDir == null ? "" : workingDir,
        user == null ? "" : user,
        Json.keys(c, "ExposedPorts"),
        Json.keys(c, "Volumes"),
        healthcheck(c.get("Healthcheck")),
        Json.stringMap(c, "Labels"),
        Json.text(c, "StopSignal"),
        Json.strings(c, "Shell"),
        List.copyOf(diffIds),
        List.copyOf(history));
  }

  private static Healthcheck healthcheck(JsonNode h) {
    if (h == null || !h.isObject()) {
      return null;
    }
    List<String> test = Json.strings(h, "Test");
    return new Healthcheck(
        test == null ? List.of() : test,
        Duration.ofNanos(h.path("Interval").asLong(0)),
        Duration.ofNanos(h.path("Timeout").asLong(0)),
        Duration.ofNanos(h.path("StartPeriod").asLong(0)),
        Duration.ofNanos(h.path("StartInterval").asLong(0)),
        h.path("Retries").asInt(0));
  }

  /** The platform this config says the image is for. */
  public Platform platform() {
    return new Platform(
        os == null ? "linux" : os, architecture == null ? "amd64" : architecture, variant);
  }
}
