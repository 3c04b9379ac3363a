package io.jcompose.runtime.network.bench;

import io.jcompose.runtime.network.EndpointSpec;
import io.jcompose.runtime.network.NetworkService;
import io.jcompose.runtime.network.NetworkSpec;
import io.jcompose.runtime.network.NetworkState;
import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.network.testutil.Cmd;
import io.jcompose.runtime.network.testutil.DnsMessages;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Attach cost per container against the same plumbing done with ip(8) processes, and the
 * embedded DNS latency over 10,000 queries from inside a container namespace. Run as root via
 * bench/network/run.sh; it cleans up everything it makes.
 */
public final class NetworkBench {
    public static void main(String[] args) throws Exception {
        int containers = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path root = Files.createTempDirectory("jc-netbench");
        String ipForward = new String(Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_forward")).readAllBytes());
        NetworkService svc = new NetworkService(NetworkService.Options.defaults(root).withHostUpstreams(List.of()));
        List<String> ids = new ArrayList<>();
        NetworkState net = null;
        try {
            net = svc.createNetwork(NetworkSpec.named("jcbench_default"));
            long[] sandbox = new long[containers], attach = new long[containers];
            for (int i = 0; i < containers; i++) {
                String id = randomId();
                ids.add(id);
                long t0 = System.nanoTime();
                Path ns = svc.createSandbox(id);
                long t1 = System.nanoTime();
                svc.attach(net.id(), id, ns, EndpointSpec.names("jcbench-web-" + (i + 1), "web"));
                long t2 = System.nanoTime();
                sandbox[i] = t1 - t0;
                attach[i] = t2 - t1;
            }
            long[] peer = ipPeer(net, Math.min(containers, 10));
            System.out.printf("attach (veth + addresses + route + DNS record), %d containers: p50 %.2f ms, p90 %.2f ms%n",
                    containers, ms(pct(attach, 50)), ms(pct(attach, 90)));
            System.out.printf("sandbox (netns + lo up + DNS listeners): p50 %.2f ms%n", ms(pct(sandbox, 50)));
            System.out.printf("peer: same plumbing with ip(8), 6 processes per container: p50 %.2f ms  -> ratio %.1fx%n",
                    ms(pct(peer, 50)), (double) pct(peer, 50) / pct(attach, 50));

            // DNS: a container asks for the scaled service name
            Path clientNs = NetNamespace.pathFor(ids.getFirst());
            long[] lat = NetNamespace.call(clientNs, () -> {
                long[] out = new long[queries];
                try (DatagramSocket s = new DatagramSocket()) {
                    s.setSoTimeout(2000);
                    s.connect(new InetSocketAddress("127.0.0.11", 53));
                    byte[] buf = new byte[1500];
                    for (int i = 0; i < queries + 500; i++) {
                        byte[] q = DnsMessages.query(i & 0xffff, "web", DnsRecordType.A);
                        long t0 = System.nanoTime();
                        s.send(new DatagramPacket(q, q.length));
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        long dt = System.nanoTime() - t0;
                        if (i >= 500) out[i - 500] = dt; // first 500 warm the JIT
                        if (i == 0 && DnsMessages.parse(Arrays.copyOf(buf, p.getLength())).addresses().isEmpty()) {
                            throw new IllegalStateException("no addresses for web");
                        }
                    }
                }
                return out;
            });
            System.out.printf("DNS A query for a %d-replica service from a container, %d queries: p50 %.3f ms, p99 %.3f ms%n",
                    containers, queries, ms(pct(lat, 50)), ms(pct(lat, 99)));
        } finally {
            for (String id : ids) svc.removeSandbox(id);
            if (net != null) svc.removeNetwork(net.id());
            svc.close();
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForward);
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The same steps as attach, the way a shell script would do them. */
    static long[] ipPeer(NetworkState net, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            String ns = "jcbench-peer" + i, veth = "jcvpeer" + i;
            String gw = net.pools().getFirst().gateway();
            String ip = gw.substring(0, gw.lastIndexOf('.', gw.lastIndexOf('.') - 1)) + ".250." + (i + 2);
            try {
                Cmd.run("ip", "netns", "add", ns);
                long t0 = System.nanoTime();
                Cmd.run("ip", "link", "add", veth, "mtu", "1500", "type", "veth", "peer", "name", "eth0", "netns", ns);
                Cmd.run("ip", "link", "set", veth, "master", net.bridge(), "up");
                Cmd.run("ip", "-n", ns, "link", "set", "eth0", "address", "02:42:ac:1f:fa:" + String.format("%02x", i + 2));
                Cmd.run("ip", "-n", ns, "addr", "add", ip + "/16", "dev", "eth0");
                Cmd.run("ip", "-n", ns, "link", "set", "eth0", "up");
                Cmd.run("ip", "-n", ns, "route", "add", "default", "via", net.pools().getFirst().gateway());
                out[i] = System.nanoTime() - t0;
            } finally {
                Cmd.run("ip", "link", "del", veth);
                Cmd.run("ip", "netns", "del", ns);
            }
        }
        return out;
    }

    static long pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String randomId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
