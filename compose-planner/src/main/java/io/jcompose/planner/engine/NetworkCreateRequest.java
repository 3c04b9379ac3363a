package io.jcompose.planner.engine;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /networks/create}.
 *
 * @param name {@code Name}
 * @param driver {@code Driver} ({@code bridge} when the file says nothing)
 * @param internal {@code Internal}
 * @param attachable {@code Attachable}
 * @param enableIpv4 {@code EnableIPv4} (API ≥ 1.47), or {@code null} for the engine's default
 * @param enableIpv6 {@code EnableIPv6}, or {@code null} for the engine's default
 * @param options {@code Options} (driver options)
 * @param labels {@code Labels}
 * @param ipamDriver {@code IPAM.Driver}, or {@code null}
 * @param ipamConfig {@code IPAM.Config}
 */
public record NetworkCreateRequest(
    String name, String driver, boolean internal, boolean attachable, Boolean enableIpv4, Boolean enableIpv6,
    Map<String, String> options, Map<String, String> labels, String ipamDriver, List<IpamPool> ipamConfig) {
  public NetworkCreateRequest {
    options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(options));
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    ipamConfig = ipamConfig == null ? List.of() : List.copyOf(ipamConfig);
  }

  /**
   * One {@code IPAM.Config} entry.
   *
   * @param subnet {@code Subnet}
   * @param ipRange {@code IPRange}
   * @param gateway {@code Gateway}
   * @param auxAddresses {@code AuxiliaryAddresses}
   */
  public record IpamPool(String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {}
}
