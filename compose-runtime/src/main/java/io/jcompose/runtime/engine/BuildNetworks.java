package io.jcompose.runtime.engine;

import io.jcompose.runtime.image.build.executor.StepNetwork;
import io.jcompose.runtime.network.EndpointSpec;
import io.jcompose.runtime.network.NetworkService;
import io.jcompose.runtime.network.netns.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The networks of RUN steps on the daemon, made with the engine's own {@link NetworkService} as
 * a container's are. {@code default} (and {@code bridge}) is what BuildKit gives a build step in
 * dockerd (its bridge network provider): a sandbox of the step's own with an endpoint on the
 * default {@code bridge} network, so it reaches out through the bridge's NAT (masquerade in the
 * engine's nft table, ip_forward on) and resolves names through the embedded DNS (host upstreams
 * dialled from the host, so a host on 127.0.0.53 works); the endpoint has no DNS names.
 * {@code none} is a sandbox with only {@code lo} (its DNS has no upstreams: no external access),
 * {@code host} the host's network and resolv.conf. {@link #release} takes the veth, the
 * namespace and the DNS listeners away and drops the on-demand bridge when it is idle again.
 */
final class BuildNetworks implements StepNetwork {
    private final Networks networks;
    private final NetworkService net;

    BuildNetworks(Networks networks) {
        this.networks = networks;
        this.net = networks.service();
    }

    @Override
    public String attach(String containerId, String mode) throws IOException {
        if (mode.equals("host")) {
            return StepNetwork.hostResolvConf();
        }
        Path ns = net.createSandbox(containerId);
        try {
            if (!mode.equals("none")) {
                networks.attach(Networks.BRIDGE, containerId, ns, new EndpointSpec(List.of(), null, null, null));
            }
        } catch (RuntimeException e) {
            release(containerId);
            throw e;
        }
        return net.resolvConf(List.of(), List.of(), List.of());
    }

    @Override
    public void release(String containerId) {
        try {
            if (net.sandbox(containerId).isPresent() || Files.exists(NetNamespace.pathFor(containerId))) {
                net.removeSandbox(containerId);
            }
        } finally {
            networks.releaseBridgeIfIdle();
        }
    }
}
