package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A container's endpoint on one network: requested in {@code NetworkingConfig.EndpointsConfig} and
 * {@code /networks/{id}/connect}, reported in {@code NetworkSettings.Networks}.
 */
public record EndpointSettings(
        @JsonProperty("IPAMConfig") IpamConfig ipamConfig,
        List<String> links,
        List<String> aliases,
        String macAddress,
        Map<String, String> driverOpts,
        Integer gwPriority,
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        String gateway,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
        @JsonProperty("DNSNames") List<String> dnsNames) {

    /** Static addresses asked for on this network. */
    public record IpamConfig(
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address,
            @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {}

    /** A request for aliases only (what Compose sends). */
    public static EndpointSettings withAliases(List<String> aliases) {
        return new EndpointSettings(null, null, aliases, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
