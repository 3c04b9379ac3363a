package io.jcompose.runtime.network;

import java.util.List;

/**
 * How a container joins a network.
 *
 * @param dnsNames names the embedded DNS answers with this endpoint's addresses, in Docker's
 *     order: container name, aliases (service name first for compose), short id, hostname. The
 *     first one is used for PTR answers.
 * @param ipv4 static {@code ipv4_address} or null
 * @param ipv6 static {@code ipv6_address} or null
 * @param mac {@code mac_address} or null (then derived from the IPv4 address, 02:42:…)
 */
public record EndpointSpec(List<String> dnsNames, String ipv4, String ipv6, String mac) {
    public EndpointSpec {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
    }

    public static EndpointSpec names(String... names) {
        return new EndpointSpec(List.of(names), null, null, null);
    }
}
