package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * A service's attachment to one network (long form of {@code networks}).
 *
 * @param priority connection order priority
 * @param aliases extra DNS names on this network
 * @param ipv4Address static IPv4 address
 * @param ipv6Address static IPv6 address
 * @param linkLocalIps link-local addresses
 * @param macAddress MAC address on this network
 * @param driverOpts driver options for this endpoint
 * @param extensions {@code x-*} keys
 */
public record ServiceNetwork(
    int priority,
    List<String> aliases,
    String ipv4Address,
    String ipv6Address,
    List<String> linkLocalIps,
    String macAddress,
    Map<String, String> driverOpts,
    Map<String, Object> extensions) {
  public ServiceNetwork {
    aliases = Extensions.freeze(aliases);
    linkLocalIps = Extensions.freeze(linkLocalIps);
    driverOpts = Extensions.freeze(driverOpts);
    extensions = Extensions.freeze(extensions);
  }
}
