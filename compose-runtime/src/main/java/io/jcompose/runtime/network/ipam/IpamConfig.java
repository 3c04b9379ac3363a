package io.jcompose.runtime.network.ipam;

import java.util.Map;

/**
 * One {@code ipam.config} entry of a compose network, as text (validated when a pool is made).
 * Any field may be null; an entry with only a gateway or range still needs a subnet.
 */
public record IpamConfig(String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {
    public IpamConfig {
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
    }

    public static IpamConfig ofSubnet(String subnet) {
        return new IpamConfig(subnet, null, null, Map.of());
    }
}
