package io.jcompose.planner.engine;

import java.util.List;

/**
 * One entry of {@code NetworkingConfig.EndpointsConfig} (Docker's network.EndpointSettings, the
 * part a client sends), keyed by network name in {@link ContainerCreateRequest#endpoints()}.
 *
 * @param aliases {@code Aliases}: DNS names on this network
 * @param ipv4Address {@code IPAMConfig.IPv4Address}, or {@code null}
 * @param ipv6Address {@code IPAMConfig.IPv6Address}, or {@code null}
 * @param linkLocalIps {@code IPAMConfig.LinkLocalIPs}
 * @param macAddress {@code MacAddress}, or {@code null}
 * @param links {@code Links}: {@code container:alias}
 * @param driverOpts {@code DriverOpts}
 */
public record EndpointConfig(
    List<String> aliases, String ipv4Address, String ipv6Address, List<String> linkLocalIps, String macAddress, List<String> links,
    java.util.Map<String, String> driverOpts) {
  public EndpointConfig {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    linkLocalIps = linkLocalIps == null ? List.of() : List.copyOf(linkLocalIps);
    links = links == null ? List.of() : List.copyOf(links);
    driverOpts = driverOpts == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(driverOpts));
  }
}
