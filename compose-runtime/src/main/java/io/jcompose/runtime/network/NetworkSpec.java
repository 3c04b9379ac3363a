package io.jcompose.runtime.network;

import io.jcompose.runtime.network.ipam.IpamConfig;
import java.util.List;
import java.util.Map;

/**
 * A network to create, as the daemon gets it from a compose file or the Engine API.
 *
 * @param driverOpts {@code com.docker.network.driver.mtu} and {@code com.docker.network.bridge.name}
 *     are honoured
 * @param ipam {@code ipam.config} entries; none = a subnet from the default pools
 */
public record NetworkSpec(String name, boolean internal, boolean enableIpv6, boolean attachable,
        Map<String, String> labels, Map<String, String> driverOpts, List<IpamConfig> ipam) {
    public static final String OPT_MTU = "com.docker.network.driver.mtu";
    public static final String OPT_BRIDGE_NAME = "com.docker.network.bridge.name";

    public NetworkSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
        ipam = ipam == null ? List.of() : List.copyOf(ipam);
    }

    /** A plain bridge network with default addressing. */
    public static NetworkSpec named(String name) {
        return new NetworkSpec(name, false, false, false, Map.of(), Map.of(), List.of());
    }

    public NetworkSpec withInternal(boolean value) {
        return new NetworkSpec(name, value, enableIpv6, attachable, labels, driverOpts, ipam);
    }

    public NetworkSpec withIpam(List<IpamConfig> value) {
        return new NetworkSpec(name, internal, enableIpv6, attachable, labels, driverOpts, value);
    }

    public NetworkSpec withIpv6(boolean value) {
        return new NetworkSpec(name, internal, value, attachable, labels, driverOpts, ipam);
    }

    public NetworkSpec withDriverOpts(Map<String, String> value) {
        return new NetworkSpec(name, internal, enableIpv6, attachable, labels, value, ipam);
    }
}
