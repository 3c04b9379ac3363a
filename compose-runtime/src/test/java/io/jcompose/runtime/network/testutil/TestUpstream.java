package io.jcompose.runtime.network.testutil;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server on 127.0.0.1 for forwarding tests: answers A queries for the
 * names it was given, REFUSED for anything else. Never the machine's real resolver.
 */
public final class TestUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, InetAddress> names;
    private final Thread thread;
    public final AtomicInteger queries = new AtomicInteger();

    public TestUpstream(Map<String, InetAddress> names) throws IOException {
        this(names, new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
    }

    /** A server whose socket the caller made (e.g. inside a test network namespace). */
    public TestUpstream(Map<String, InetAddress> names, DatagramSocket socket) {
        this.names = names;
        this.socket = socket;
        this.thread = Thread.ofPlatform().daemon().name("test-upstream").start(this::serve);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                byte[] q = Arrays.copyOf(buf, p.getLength());
                byte[] r = reply(q);
                socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private byte[] reply(byte[] q) {
        // question name starts at 12
        StringBuilder name = new StringBuilder();
        int p = 12;
        while (q[p] != 0) {
            int len = q[p];
            if (!name.isEmpty()) name.append('.');
            name.append(new String(q, p + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
            p += len + 1;
        }
        int qtype = ((q[p + 1] & 0xff) << 8) | (q[p + 2] & 0xff);
        int qEnd = p + 5;
        InetAddress a = names.get(name.toString().toLowerCase(java.util.Locale.ROOT));
        ByteBuffer b = ByteBuffer.allocate(qEnd + 16);
        b.put(q, 0, qEnd);
        b.put(2, (byte) (0x80 | (q[2] & 0x01)));
        b.putShort(8, (short) 0).putShort(10, (short) 0);
        if (a == null || qtype != 1) {
            b.put(3, (byte) (a == null ? 0x85 : 0x80)); // RA + REFUSED, or NOERROR empty
            b.putShort(6, (short) 0);
            return Arrays.copyOf(b.array(), qEnd);
        }
        b.put(3, (byte) 0x80);
        b.putShort(6, (short) 1);
        b.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(30).putShort((short) 4).put(a.getAddress());
        return Arrays.copyOf(b.array(), b.position());
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
