package io.jcompose.runtime.network.ports;

/**
 * A published port as it is in effect ({@code jcompose port}, {@code ps}, inspect).
 *
 * @param hostIp {@code 0.0.0.0} when published on all addresses
 */
public record PortBinding(String protocol, String hostIp, int hostPort, String containerIp, int containerPort) {
    public String hostAddress() {
        return hostIp + ":" + hostPort;
    }
}
