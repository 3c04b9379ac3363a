package io.jcompose.runtime.network.nft;

import java.net.InetAddress;

/**
 * A published port: traffic to {@code hostIp:hostPort} (hostIp null = any local address) goes to
 * {@code containerIp:containerPort}.
 *
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortRule(String protocol, InetAddress hostIp, int hostPort, InetAddress containerIp, int containerPort) {
    public PortRule {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) throw new IllegalArgumentException("protocol " + protocol);
    }
}
