package io.jcompose.runtime.network.ports;

/**
 * One published port as requested ({@code ports:} after range expansion).
 *
 * @param protocol {@code tcp} or {@code udp}
 * @param hostIp host address to listen on; null or empty = all addresses
 * @param hostPort 0 = an ephemeral port from {@code ip_local_port_range}
 */
public record PortSpec(String protocol, String hostIp, int hostPort, int containerPort) {
    public PortSpec {
        protocol = protocol == null ? "tcp" : protocol;
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("invalid protocol \"" + protocol + "\" for port " + containerPort + ": use tcp or udp");
        }
        if (hostPort < 0 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("invalid port mapping " + hostPort + ":" + containerPort);
        }
    }

    public static PortSpec tcp(int hostPort, int containerPort) {
        return new PortSpec("tcp", null, hostPort, containerPort);
    }
}
