package io.jcompose.runtime.api.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** Where the API listens: a Unix socket (the default) or, only when configured, loopback TCP. */
public sealed interface Listener {

    /**
     * A Unix-domain socket; the file gets mode 0660 so only root and the socket's group may use it.
     *
     * @param path the socket file, e.g. {@code /run/jcompose/jcompose.sock}
     */
    record UnixSocket(Path path) implements Listener {}

    /**
     * A TCP port on a loopback address (the engine gives root to whoever reaches it, so never on a
     * routable address).
     */
    record LoopbackTcp(InetSocketAddress address) implements Listener {
        public LoopbackTcp {
            if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("TCP listener " + address
                        + " is not a loopback address; the engine API may only listen on 127.0.0.0/8 or ::1");
            }
        }
    }

    /**
     * Parses a host string: {@code unix:///path}, a plain absolute path, or
     * {@code tcp://127.0.0.1:2375}.
     */
    static Listener parse(String host) {
        if (host.startsWith("unix://")) {
            return new UnixSocket(Path.of(host.substring("unix://".length())));
        }
        if (host.startsWith("/")) {
            return new UnixSocket(Path.of(host));
        }
        if (host.startsWith("tcp://")) {
            String hp = host.substring("tcp://".length());
            int colon = hp.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("host " + host + " needs a port, e.g. tcp://127.0.0.1:2375");
            }
            String h = hp.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("host " + host + " has an invalid port");
            }
            return new LoopbackTcp(new InetSocketAddress(h, port));
        }
        throw new IllegalArgumentException("host " + host + " is neither unix:///path nor tcp://127.0.0.1:port");
    }
}
