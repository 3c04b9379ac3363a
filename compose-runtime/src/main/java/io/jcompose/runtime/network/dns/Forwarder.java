package io.jcompose.runtime.network.dns;

import io.jcompose.runtime.network.netns.NetNamespace;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Sends a query, unchanged, to up to three upstreams in turn (UDP, then TCP when the answer is
 * truncated). SERVFAIL/REFUSED or silence moves on to the next; {@code null} means none answered.
 * Runs on platform threads pinned to the host namespace, so host upstreams (even a resolver on
 * the host's loopback) are dialled from the host; container upstreams get a socket opened inside
 * the container's namespace.
 */
final class Forwarder implements AutoCloseable {
    static final int MAX_CONCURRENT = 1024;
    private static final int MAX_UPSTREAMS = 3;

    /** Platform threads that enter the host namespace first, whoever happens to create them. */
    private final ExecutorService executor = Executors.newCachedThreadPool(NetNamespace.hostThreadFactory("jc-dns-forward"));
    private final Semaphore inFlight = new Semaphore(MAX_CONCURRENT);
    private final Duration timeout;

    Forwarder(Duration timeout) {
        this.timeout = timeout;
    }

    /** Completes with null when nobody answered; returns null (no future) when too many queries are in flight. */
    CompletableFuture<byte[]> forward(byte[] query, List<Upstream> upstreams) {
        if (!inFlight.tryAcquire()) return null;
        return CompletableFuture.supplyAsync(() -> {
            try {
                for (Upstream u : upstreams.subList(0, Math.min(MAX_UPSTREAMS, upstreams.size()))) {
                    byte[] r = ask(u, query);
                    if (r == null || r.length < 12 || r[0] != query[0] || r[1] != query[1]) continue;
                    int rcode = r[3] & 0x0f;
                    if (rcode == 2 || rcode == 5) continue; // SERVFAIL, REFUSED: next upstream
                    return r;
                }
                return null;
            } finally {
                inFlight.release();
            }
        }, executor);
    }

    private byte[] ask(Upstream u, byte[] query) {
        try (DatagramSocket s = u.netns() == null ? new DatagramSocket()
                : NetNamespace.call(u.netns(), DatagramSocket::new)) {
            s.setSoTimeout((int) timeout.toMillis());
            s.connect(u.address());
            s.send(new DatagramPacket(query, query.length));
            byte[] buf = new byte[65535];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                if (p.getLength() >= 12 && buf[0] == query[0] && buf[1] == query[1]) {
                    byte[] r = java.util.Arrays.copyOf(buf, p.getLength());
                    return (r[2] & 0x02) != 0 ? askTcp(u, query) : r; // TC: retry over TCP
                }
            }
            return null;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private byte[] askTcp(Upstream u, byte[] query) throws IOException {
        try (Socket s = u.netns() == null ? new Socket() : NetNamespace.call(u.netns(), () -> {
            Socket x = new Socket();
            x.bind(null); // the JDK creates the socket lazily: force it on the namespace's thread
            return x;
        })) {
            s.connect(u.address(), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] r = new byte[in.readUnsignedShort()];
            in.readFully(r);
            return r;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
