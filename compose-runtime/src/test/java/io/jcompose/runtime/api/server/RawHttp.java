package io.jcompose.runtime.api.server;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Raw HTTP bytes over a Unix socket, for tests that must see exactly what the server writes. */
final class RawHttp {

    private final Path socket;

    RawHttp(Path socket) {
        this.socket = socket;
    }

    SocketChannel connect() throws Exception {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    static void write(SocketChannel ch, String s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Sends one request (with {@code Connection: close} added) and returns the whole raw answer. */
    String exchange(String request) throws Exception {
        try (SocketChannel ch = connect()) {
            write(ch, request.replaceFirst("\r\n", "\r\nConnection: close\r\n"));
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads until {@code marker} has arrived (or EOF). */
    static String readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (!buf.toString(StandardCharsets.UTF_8).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            buf.write(b);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
