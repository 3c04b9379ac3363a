package io.jcompose.model;

import java.util.Map;

/**
 * One published or exposed port in long form. The short form
 * {@code "127.0.0.1:8080-8081:80-81/udp"} becomes one entry per container port.
 *
 * @param name a human-readable name
 * @param mode {@code ingress} (the default Compose fills in) or {@code host}
 * @param hostIp host address to bind, or {@code null} for all
 * @param target the container port
 * @param published the host port or range ({@code "8080"}, {@code "8080-8081"}), or {@code null}
 *     for a random port
 * @param protocol {@code tcp} (default), {@code udp} or {@code sctp}
 * @param appProtocol application protocol hint
 * @param extensions {@code x-*} keys
 */
public record PortConfig(
    String name,
    String mode,
    String hostIp,
    int target,
    String published,
    String protocol,
    String appProtocol,
    Map<String, Object> extensions) {
  public PortConfig {
    extensions = Extensions.freeze(extensions);
  }
}
