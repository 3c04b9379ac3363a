package io.jcompose.runtime.network;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine keeps about one network; stored as JSON under the data root and enough
 * to rebuild bridges, firewall rules and DNS records after a restart.
 *
 * @param bridge Linux bridge name ({@code jc<tag>-<7 hex of id>} unless a bridge name option was given; engines
 *     before per-engine tags wrote {@code jc-<12 hex>}, see {@link LegacyBridges})
 * @param pools address pools, IPv4 first
 * @param endpoints attached containers by container id
 */
public record NetworkState(String id, String name, String bridge, int mtu, boolean internal, boolean enableIpv6,
        boolean attachable, Map<String, String> labels, Map<String, String> driverOpts, List<PoolState> pools,
        Map<String, Endpoint> endpoints, String created) {

    public NetworkState {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
        pools = pools == null ? List.of() : List.copyOf(pools);
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    }

    /** One address pool, as text: {@code subnet} and {@code range} in CIDR form. */
    public record PoolState(String subnet, String range, String gateway, List<String> reserved) {
        public PoolState {
            reserved = reserved == null ? List.of() : List.copyOf(reserved);
        }
    }

    NetworkState withBridge(String value, Map<String, String> opts) {
        return new NetworkState(id, name, value, mtu, internal, enableIpv6, attachable, labels, opts, pools,
                endpoints, created);
    }

    NetworkState withEndpoints(Map<String, Endpoint> value) {
        return new NetworkState(id, name, bridge, mtu, internal, enableIpv6, attachable, labels, driverOpts, pools,
                value, created);
    }
}
