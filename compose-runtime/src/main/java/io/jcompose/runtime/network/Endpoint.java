package io.jcompose.runtime.network;

import java.util.List;

/**
 * A container's interface on one network, as persisted and as reported to the daemon
 * (Engine API {@code NetworkSettings.Networks}).
 *
 * @param ifname the interface inside the container ({@code eth0}, {@code eth1}, … in attach order)
 * @param hostVeth the host side of the veth pair ({@code jc<tag>v<7 hex>}; {@code jcv<12 hex>} from engines before per-engine tags)
 * @param ipv4 address without prefix, or null
 * @param ipv4Prefix prefix length of the IPv4 subnet (0 when no IPv4)
 * @param gateway IPv4 gateway, or null
 */
public record Endpoint(String networkId, String containerId, String ifname, String hostVeth, String mac,
        String ipv4, int ipv4Prefix, String gateway, String ipv6, int ipv6Prefix, String gateway6,
        List<String> dnsNames) {
    public Endpoint {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
    }
}
