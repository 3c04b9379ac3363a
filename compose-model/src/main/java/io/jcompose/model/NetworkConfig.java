package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * A top-level network. The loader fills in {@link #name()}: {@code <project>_<key>} unless set,
 * or the key itself for external networks.
 *
 * @param name the engine-side network name
 * @param driver network driver, or {@code null} ({@code bridge})
 * @param driverOpts driver options
 * @param ipam address management
 * @param external whether the network exists already and is not managed by Compose
 * @param internal no outbound connectivity
 * @param attachable (Swarm) standalone containers may attach
 * @param labels network labels
 * @param enableIpv4 enable IPv4, or {@code null} for the default
 * @param enableIpv6 enable IPv6, or {@code null} for the default
 * @param extensions {@code x-*} keys
 */
public record NetworkConfig(
    String name,
    String driver,
    Map<String, String> driverOpts,
    @Always Ipam ipam,
    boolean external,
    boolean internal,
    boolean attachable,
    Map<String, String> labels,
    @YamlKey("enable_ipv4") Boolean enableIpv4,
    @YamlKey("enable_ipv6") Boolean enableIpv6,
    Map<String, Object> extensions) {
  public NetworkConfig {
    driverOpts = Extensions.freeze(driverOpts);
    labels = Extensions.freeze(labels);
    extensions = Extensions.freeze(extensions);
    if (ipam == null) {
      ipam = new Ipam(null, List.of(), Map.of());
    }
  }

  /**
   * IP address management of a network.
   *
   * @param driver IPAM driver
   * @param config address pools
   * @param extensions {@code x-*} keys
   */
  public record Ipam(String driver, List<Pool> config, Map<String, Object> extensions) {
    public Ipam {
      config = Extensions.freeze(config);
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * One address pool.
   *
   * @param subnet CIDR subnet
   * @param gateway gateway address
   * @param ipRange range to allocate from
   * @param auxAddresses reserved addresses by host name
   * @param extensions {@code x-*} keys
   */
  public record Pool(String subnet, String gateway, String ipRange, Map<String, String> auxAddresses, Map<String, Object> extensions) {
    public Pool {
      auxAddresses = Extensions.freeze(auxAddresses);
      extensions = Extensions.freeze(extensions);
    }
  }
}
