package io.jcompose.runtime.network;

import io.jcompose.runtime.network.dns.HostsFile;
import io.jcompose.runtime.network.ports.PortBinding;
import java.util.List;

/** What a container's sandbox needs to be rebuilt after a restart: netns, {@code dns:} servers, extra hosts, published ports. */
record SandboxState(String containerId, String netns, List<String> dnsServers, List<HostsFile.ExtraHost> extraHosts,
        List<PortBinding> ports) {
    SandboxState {
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    SandboxState withPorts(List<PortBinding> value) {
        return new SandboxState(containerId, netns, dnsServers, extraHosts, value);
    }
}
