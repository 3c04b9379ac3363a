package io.jcompose.runtime.api.client;

import io.jcompose.runtime.io.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an Engine API daemon listens, in {@code DOCKER_HOST} syntax: {@code unix:///path} or
 * {@code tcp://host:port} (plain HTTP, no TLS).
 */
public sealed interface DockerHost {

    /** jcompose's default socket. */
    Path DEFAULT_SOCKET = Path.of("/run/jcompose/jcompose.sock");

    /** Opens a new connection. */
    Connection open() throws IOException;

    /** A Unix-domain socket. */
    record Unix(Path path) implements DockerHost {
        @Override
        public Connection open() throws IOException {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot connect to the engine at unix://" + path + ": " + e.getMessage(), e);
            }
            return new Connection.OfChannel(ch);
        }

        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    /** A TCP address. */
    record Tcp(String host, int port) implements DockerHost {
        @Override
        public Connection open() throws IOException {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, port), 10_000);
            } catch (IOException e) {
                s.close();
                throw new IOException("cannot connect to the engine at tcp://" + host + ":" + port + ": " + e.getMessage(), e);
            }
            s.setTcpNoDelay(true);
            return new Connection.OfSocket(s);
        }

        @Override
        public String toString() {
            return "tcp://" + host + ":" + port;
        }
    }

    /**
     * Parses a host string.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static DockerHost parse(String host) {
        if (host.startsWith("unix://")) {
            String p = host.substring("unix://".length());
            if (p.isEmpty()) {
                throw new IllegalArgumentException("host " + host + " names no socket path");
            }
            return new Unix(Path.of(p));
        }
        if (host.startsWith("tcp://") || host.startsWith("http://")) {
            String hp = host.substring(host.indexOf("://") + 3);
            if (hp.endsWith("/")) {
                hp = hp.substring(0, hp.length() - 1);
            }
            int colon = hp.lastIndexOf(':');
            if (colon < 0) {
                return new Tcp(hp, 2375);
            }
            try {
                return new Tcp(hp.substring(0, colon).replace("[", "").replace("]", ""), Integer.parseInt(hp.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("host " + host + " has an invalid port");
            }
        }
        if (host.startsWith("/")) {
            return new Unix(Path.of(host));
        }
        throw new IllegalArgumentException("unsupported host " + host + ": use unix:///path or tcp://127.0.0.1:port");
    }

    /** {@code DOCKER_HOST} if set, else jcompose's default socket. */
    static DockerHost fromEnvironment(Map<String, String> env) {
        String h = env.get("DOCKER_HOST");
        return h == null || h.isBlank() ? new Unix(DEFAULT_SOCKET) : parse(h.trim());
    }

    /** A duplex byte connection; reading and writing may happen on two threads at once. */
    sealed interface Connection extends AutoCloseable {
        InputStream in();

        OutputStream out();

        /** Half-close: no more bytes from us (stdin EOF for attach/exec), output keeps coming. */
        void shutdownOutput() throws IOException;

        @Override
        void close() throws IOException;

        /** Over a JDK socket channel (Unix-domain). */
        final class OfChannel implements Connection {
            private final SocketChannel ch;
            private final InputStream in;
            private final OutputStream out;

            OfChannel(SocketChannel ch) {
                this.ch = ch;
                // our own thin streams: one reader and one writer may block at the same time
                this.in = new BulkInputStream() {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
                    }
                };
                this.out = new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                        while (buf.hasRemaining()) {
                            ch.write(buf);
                        }
                    }
                };
            }

            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void shutdownOutput() throws IOException {
                ch.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        }

        /** Over a TCP socket. */
        final class OfSocket implements Connection {
            private final Socket s;

            OfSocket(Socket s) {
                this.s = s;
            }

            @Override
            public InputStream in() {
                try {
                    return s.getInputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public OutputStream out() {
                try {
                    return s.getOutputStream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void shutdownOutput() throws IOException {
                s.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        }
    }
}
