package io.jcompose.runtime.network.nft;

import io.jcompose.runtime.network.ipam.Subnet;
import java.util.List;

/**
 * What the firewall needs to know about one network.
 *
 * @param bridge the Linux bridge name ({@code jc<tag>-<7 hex>}, see {@code HostNames})
 * @param subnets the network's IPv4 and IPv6 subnets
 * @param internal {@code internal: true}: no NAT, nothing in or out of the bridge
 * @param ports published ports whose container address is on this network
 */
public record BridgeRules(String bridge, List<Subnet> subnets, boolean internal, List<PortRule> ports) {
    public BridgeRules {
        subnets = List.copyOf(subnets);
        ports = List.copyOf(ports);
        if (!bridge.matches("[A-Za-z0-9_.-]{1,15}")) throw new IllegalArgumentException("bad bridge name " + bridge);
    }
}
