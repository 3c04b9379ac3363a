package io.jcompose.runtime.image.build.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The image config JSON a build writes, starting from the base image's config (unknown fields
 * kept, as Docker keeps them) and changed instruction by instruction, in the field names and
 * forms Docker and BuildKit write ({@code config.Env}, {@code history[].created_by}, ...).
 */
public final class ImageConfigBuilder {
  /** BuildKit's history comment for Dockerfile steps. */
  public static final String HISTORY_COMMENT = "buildkit.dockerfile.v0";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ObjectNode root;

  private ImageConfigBuilder(ObjectNode root) {
    this.root = root;
  }

  /** Starts from a base image's config bytes. */
  public static ImageConfigBuilder from(byte[] baseConfig) {
    ObjectNode root = (ObjectNode) JSON.readTree(baseConfig);
    ImageConfigBuilder b = new ImageConfigBuilder(root);
    b.config(); // make sure it exists
    if (!root.has("rootfs")) {
      b.rootfs();
    }
    return b;
  }

  /** Starts from nothing ({@code FROM scratch}) for the given platform. */
  public static ImageConfigBuilder scratch(String os, String architecture, String variant) {
    ObjectNode root = JSON.createObjectNode();
    root.put("architecture", architecture);
    root.put("os", os);
    if (variant != null) {
      root.put("variant", variant);
    }
    ImageConfigBuilder b = new ImageConfigBuilder(root);
    b.config().putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    b.rootfs();
    return b;
  }

  private ObjectNode config() {
    JsonNode c = root.get("config");
    if (c instanceof ObjectNode o) {
      return o;
    }
    return root.putObject("config");
  }

  private ObjectNode rootfs() {
    JsonNode r = root.get("rootfs");
    if (r instanceof ObjectNode o) {
      return o;
    }
    ObjectNode o = root.putObject("rootfs");
    o.put("type", "layers");
    o.putArray("diff_ids");
    return o;
  }

  /** The {@code KEY=value} environment, in order. */
  public List<String> env() {
    List<String> out = new ArrayList<>();
    JsonNode e = config().get("Env");
    if (e != null && e.isArray()) {
      e.forEach(v -> out.add(v.asString()));
    }
    return out;
  }

  /** The value of one environment variable, or null. */
  public String env(String key) {
    for (String kv : env()) {
      int eq = kv.indexOf('=');
      if ((eq < 0 ? kv : kv.substring(0, eq)).equals(key)) {
        return eq < 0 ? "" : kv.substring(eq + 1);
      }
    }
    return null;
  }

  /** Sets a variable, replacing an earlier value in place (Docker keeps the position). */
  public void setEnv(String key, String value) {
    List<String> env = env();
    boolean replaced = false;
    for (int i = 0; i < env.size(); i++) {
      String kv = env.get(i);
      int eq = kv.indexOf('=');
      if ((eq < 0 ? kv : kv.substring(0, eq)).equals(key)) {
        env.set(i, key + "=" + value);
        replaced = true;
      }
    }
    if (!replaced) {
      env.add(key + "=" + value);
    }
    strings("Env", env);
  }

  /** Sets {@code Cmd} ({@code null} removes it). */
  public void cmd(List<String> cmd) {
    strings("Cmd", cmd);
  }

  /** Sets {@code Entrypoint}. */
  public void entrypoint(List<String> entrypoint) {
    strings("Entrypoint", entrypoint);
  }

  /** Sets {@code Shell}. */
  public void shell(List<String> shell) {
    strings("Shell", shell);
  }

  /** The shell RUN and shell-form CMD use: {@code Shell}, else {@code /bin/sh -c}. */
  public List<String> shell() {
    JsonNode s = config().get("Shell");
    if (s == null || !s.isArray() || s.isEmpty()) {
      return List.of("/bin/sh", "-c");
    }
    List<String> out = new ArrayList<>();
    s.forEach(v -> out.add(v.asString()));
    return out;
  }

  /** Sets {@code User}. */
  public void user(String user) {
    config().put("User", user);
  }

  /** {@code User}, or "". */
  public String user() {
    JsonNode u = config().get("User");
    return u == null || u.isNull() ? "" : u.asString();
  }

  /** Sets {@code WorkingDir}. */
  public void workingDir(String dir) {
    config().put("WorkingDir", dir);
  }

  /** {@code WorkingDir}, or "". */
  public String workingDir() {
    JsonNode w = config().get("WorkingDir");
    return w == null || w.isNull() ? "" : w.asString();
  }

  /** Adds {@code ExposedPorts} entries ({@code 80/tcp}). */
  public void expose(List<String> ports) {
    ObjectNode p = object("ExposedPorts");
    ports.forEach(port -> p.putObject(port));
  }

  /** Adds {@code Volumes} entries. */
  public void volumes(List<String> paths) {
    ObjectNode v = object("Volumes");
    paths.forEach(path -> v.putObject(path));
  }

  /** Sets labels (later values win). */
  public void labels(Map<String, String> labels) {
    ObjectNode l = object("Labels");
    labels.forEach(l::put);
  }

  /** Sets {@code StopSignal}. */
  public void stopSignal(String signal) {
    config().put("StopSignal", signal);
  }

  /** Appends an {@code OnBuild} trigger. */
  public void onBuild(String trigger) {
    JsonNode o = config().get("OnBuild");
    ArrayNode a = o instanceof ArrayNode arr ? arr : config().putArray("OnBuild");
    a.add(trigger);
  }

  /** The base image's ONBUILD triggers (run at the start of a stage built on it). */
  public List<String> onBuild() {
    List<String> out = new ArrayList<>();
    JsonNode o = config().get("OnBuild");
    if (o != null && o.isArray()) {
      o.forEach(v -> out.add(v.asString()));
    }
    return out;
  }

  /** Clears the inherited triggers (they run once, in the image built FROM it). */
  public void clearOnBuild() {
    config().remove("OnBuild");
  }

  /** Sets {@code Healthcheck}; durations in nanoseconds, unset ones left out as Docker does. */
  public void healthcheck(List<String> test, Duration interval, Duration timeout,
      Duration startPeriod, Duration startInterval, Integer retries) {
    ObjectNode h = config().putObject("Healthcheck");
    ArrayNode t = h.putArray("Test");
    test.forEach(t::add);
    if (interval != null && !interval.isZero()) {
      h.put("Interval", interval.toNanos());
    }
    if (timeout != null && !timeout.isZero()) {
      h.put("Timeout", timeout.toNanos());
    }
    if (startPeriod != null && !startPeriod.isZero()) {
      h.put("StartPeriod", startPeriod.toNanos());
    }
    if (startInterval != null && !startInterval.isZero()) {
      h.put("StartInterval", startInterval.toNanos());
    }
    if (retries != null && retries != 0) {
      h.put("Retries", retries);
    }
  }

  /** Sets the deprecated {@code author} (MAINTAINER). */
  public void author(String author) {
    root.put("author", author);
  }

  /** Appends a layer's uncompressed digest to {@code rootfs.diff_ids}. */
  public void addLayer(String diffId) {
    ((ArrayNode) rootfs().get("diff_ids")).add(diffId);
  }

  /** The layers so far ({@code rootfs.diff_ids}), base first. */
  public List<String> diffIds() {
    List<String> out = new ArrayList<>();
    rootfs().get("diff_ids").forEach(d -> out.add(d.asString()));
    return out;
  }

  /** Appends a history entry (Docker's {@code created_by}, {@code empty_layer}). */
  public void history(String created, String createdBy, boolean emptyLayer) {
    JsonNode h = root.get("history");
    ArrayNode a = h instanceof ArrayNode arr ? arr : root.putArray("history");
    ObjectNode e = a.addObject();
    if (created != null) {
      e.put("created", created);
    }
    e.put("created_by", createdBy);
    e.put("comment", HISTORY_COMMENT);
    if (emptyLayer) {
      e.put("empty_layer", true);
    }
  }

  /** Sets the image's {@code created} time. */
  public void created(String created) {
    root.put("created", created);
  }

  /** A copy, for a stage that starts FROM another stage. */
  public ImageConfigBuilder copy() {
    return new ImageConfigBuilder(root.deepCopy());
  }

  /** The config JSON bytes. */
  public byte[] toJson() {
    return JSON.writeValueAsBytes(root);
  }

  /** The config as a tree (tests, inspection). */
  public JsonNode tree() {
    return root.deepCopy();
  }

  private void strings(String field, List<String> values) {
    if (values == null) {
      config().putNull(field);
      return;
    }
    ArrayNode a = config().putArray(field);
    values.forEach(a::add);
  }

  private ObjectNode object(String field) {
    JsonNode n = config().get(field);
    if (n instanceof ObjectNode o) {
      return o;
    }
    return config().putObject(field);
  }

  /** Sorted port keys as Go prints a map: {@code map[443/tcp:{} 80/tcp:{}]}. */
  static String goMap(List<String> keys) {
    StringBuilder sb = new StringBuilder("map[");
    boolean first = true;
    for (String k : new TreeSet<>(keys)) {
      if (!first) {
        sb.append(' ');
      }
      sb.append(k).append(":{}");
      first = false;
    }
    return sb.append(']').toString();
  }
}
