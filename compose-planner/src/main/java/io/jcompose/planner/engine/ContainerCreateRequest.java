package io.jcompose.planner.engine;

import java.util.Map;

/**
 * {@code POST /containers/create?name=…&platform=…} with its body {@code {Config…, HostConfig,
 * NetworkingConfig}}. Every network the container joins is in {@link #endpoints()} (API ≥ 1.44
 * connects them all at create, as Compose v5 relies on).
 *
 * @param name the container name ({@code name} query parameter)
 * @param platform {@code platform} query parameter, or {@code null}
 * @param config the {@code Config} fields
 * @param hostConfig {@code HostConfig}
 * @param endpoints {@code NetworkingConfig.EndpointsConfig}, by network name, in connection order
 */
public record ContainerCreateRequest(String name, String platform, ContainerConfig config, HostConfig hostConfig, Map<String, EndpointConfig> endpoints) {
  public ContainerCreateRequest {
    endpoints = endpoints == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
  }

  /** The same request with one more label (Compose's {@code replace} label on a replacement). */
  public ContainerCreateRequest withLabel(String key, String value) {
    java.util.Map<String, String> labels = new java.util.TreeMap<>(config.labels());
    labels.put(key, value);
    return withLabels(labels);
  }

  /** The same request with more labels; the request's own win on a clash (Compose's labels stay true). */
  public ContainerCreateRequest withExtraLabels(java.util.Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    java.util.Map<String, String> labels = new java.util.TreeMap<>(extra);
    labels.putAll(config.labels());
    return withLabels(labels);
  }

  private ContainerCreateRequest withLabels(java.util.Map<String, String> labels) {
    ContainerConfig c = new ContainerConfig(config.hostname(), config.domainname(), config.user(), config.exposedPorts(), config.tty(),
        config.openStdin(), config.attachStdin(), config.env(), config.cmd(), config.healthcheck(), config.entrypoint(), config.image(), config.workingDir(),
        labels, config.stopSignal(), config.stopTimeout());
    return new ContainerCreateRequest(name, platform, c, hostConfig, endpoints);
  }

  /** The same request under another name (used for the temporary name of a recreate). */
  public ContainerCreateRequest withName(String newName) {
    return new ContainerCreateRequest(newName, platform, config, hostConfig, endpoints);
  }
}
