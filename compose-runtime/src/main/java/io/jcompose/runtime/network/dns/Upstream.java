package io.jcompose.runtime.network.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A server the embedded DNS forwards unknown names to.
 *
 * @param netns the network namespace to dial from; null = the host's (so a resolver on the
 *     host's loopback still works, as for host resolv.conf upstreams in Docker)
 */
public record Upstream(InetSocketAddress address, Path netns) {
    public static Upstream fromHost(InetSocketAddress address) {
        return new Upstream(address, null);
    }
}
