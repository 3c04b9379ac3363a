package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A network as list and inspect show it; {@code Containers} is filled by inspect. */
public record NetworkResource(
        String name,
        String id,
        String created,
        String scope,
        String driver,
        @JsonProperty("EnableIPv6") boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        boolean internal,
        boolean attachable,
        boolean ingress,
        boolean configOnly,
        Map<String, NetworkContainer> containers,
        Map<String, String> options,
        Map<String, String> labels) {

    /** One attached container. */
    public record NetworkContainer(
            String name,
            @JsonProperty("EndpointID") String endpointId,
            String macAddress,
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {}
}
