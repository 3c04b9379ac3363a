package io.jcompose.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.network.ipam.IpamConfig;
import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.network.ports.PortBinding;
import io.jcompose.runtime.network.ports.PortSpec;
import io.jcompose.runtime.network.testutil.Cmd;
import io.jcompose.runtime.network.testutil.DnsMessages;
import io.jcompose.runtime.network.testutil.TestUpstream;
import io.jcompose.runtime.sys.HostNames;
import io.netty.handler.codec.dns.DnsRecordType;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole network layer against the real kernel: namespaces made by the test play the
 * containers. Traffic goes only to addresses inside them and to a test DNS server on 127.0.0.1.
 */
@Tag("root")
class NetworkServiceTest {
    @TempDir
    Path root;

    TestUpstream upstream;
    NetworkService svc;
    /** Forwarding sysctls the service may turn on; put back as they were after each test. */
    static final List<Path> FORWARDING = List.of(Path.of("/proc/sys/net/ipv4/ip_forward"),
            Path.of("/proc/sys/net/ipv6/conf/all/forwarding"), Path.of("/proc/sys/net/ipv6/conf/default/forwarding"));
    final Map<Path, String> sysctlsBefore = new java.util.LinkedHashMap<>();
    final List<String> sandboxes = new ArrayList<>();
    final List<String> networkIds = new ArrayList<>();
    boolean leftoverTable;
    /** This test engine's kernel object names: it checks and cleans only its own (other engines may run). */
    HostNames names;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Cmd.isRoot(), "needs root for namespaces, links and nftables");
        names = HostNames.forDataRoot(root);
        for (Path p : FORWARDING) sysctlsBefore.put(p, readProc(p));
        upstream = new TestUpstream(Map.of("upstream.test", InetAddress.ofLiteral("10.99.0.1")));
        svc = open();
        names = svc.names(); // as claimed (an alternative tag on a clash)
        assertThat(HostNames.forDataRoot(root)).as("kept in the data root").isEqualTo(names);
    }

    static String readProc(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return new String(in.readAllBytes());
        }
    }

    NetworkService open() {
        return new NetworkService(NetworkService.Options.defaults(root)
                .withHostUpstreams(List.of(upstream.address())).withForwardTimeout(Duration.ofMillis(800)));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (svc != null) {
                for (String c : sandboxes) {
                    try { svc.removeSandbox(c); } catch (RuntimeException e) { e.printStackTrace(); }
                }
                for (String n : networkIds) {
                    try { svc.removeNetwork(n); } catch (RuntimeException e) { e.printStackTrace(); }
                }
                svc.close();
            }
        } finally {
            // whatever the service could not remove (e.g. it was closed by a failing test) goes here
            for (String c : sandboxes) NetNamespace.delete(NetNamespace.pathFor(c));
            for (String n : networkIds) Cmd.run("ip", "link", "del", names.bridge(n));
            if (Cmd.run("nft", "list", "table", "inet", names.nftTable()).exit() == 0) {
                Cmd.run("nft", "delete", "table", "inet", names.nftTable()); // the temp data root's: ours alone
                leftoverTable = true;
            }
            if (upstream != null) upstream.close();
            for (var e : sysctlsBefore.entrySet()) Files.writeString(e.getKey(), e.getValue());
        }
        String links = Cmd.run("ip", "-o", "link").output();
        assertThat(links).as("links of this engine").doesNotContain(names.bridgePrefix()).doesNotContain(names.vethPrefix());
        String netns = Cmd.run("ip", "netns", "list").output();
        for (String c : sandboxes) assertThat(netns).doesNotContain("jc-" + c);
        assertThat(leftoverTable).as("table inet " + names.nftTable() + " removed by the service").isFalse();
    }

    String network(NetworkSpec spec) {
        NetworkState n = svc.createNetwork(spec);
        networkIds.add(n.id());
        return n.id();
    }

    record Box(String id, Path ns) {}

    Box box() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        sandboxes.add(id);
        return new Box(id, svc.createSandbox(id));
    }

    static DnsMessages.Answer query(Box from, String name, DnsRecordType type) {
        return NetNamespace.call(from.ns(), () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(3000);
                byte[] q = DnsMessages.query(7, name, type);
                s.send(new DatagramPacket(q, q.length, new InetSocketAddress("127.0.0.11", 53)));
                byte[] buf = new byte[4096];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                return DnsMessages.parse(java.util.Arrays.copyOf(buf, p.getLength()));
            }
        });
    }

    static Cmd ping(Box from, String ip) {
        return Cmd.inNetns("jc-" + from.id(), "busybox", "ping", "-c", "1", "-W", "1", ip);
    }

    /** Listens inside {@code server}'s namespace and connects from {@code client}'s. */
    static boolean tcpConnects(Box client, Box server, String ip) throws IOException {
        try (ServerSocket ss = NetNamespace.call(server.ns(), () -> new ServerSocket(8080, 5, InetAddress.ofLiteral(ip)))) {
            return NetNamespace.call(client.ns(), () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ip, 8080), 1000);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void containersOnOneNetworkReachAndResolveEachOtherButNotOtherNetworks() throws Exception {
        String front = network(NetworkSpec.named("jctest_front"));
        String back = network(NetworkSpec.named("jctest_back"));
        // Docker's first pool subnet that is free on the host (172.18.0.0/16 on an idle host; other
        // engines running tests here may hold it): a pool candidate, not docker0's, on our bridge alone
        NetworkState f = svc.find("jctest_front").orElseThrow();
        assertThat(io.jcompose.runtime.network.ipam.DefaultPools.ipv4Candidates().stream().map(Object::toString))
                .contains(f.pools().getFirst().subnet()).first().isEqualTo("172.17.0.0/16");
        assertThat(f.pools().getFirst().subnet()).isNotEqualTo("172.17.0.0/16");
        var subnet = io.jcompose.runtime.network.ipam.Subnet.parse(f.pools().getFirst().subnet());
        // "N: name    inet a.b.c.d/len ..." → the links holding an address in our subnet
        assertThat(Cmd.run("ip", "-4", "-o", "addr").output().lines().map(l -> l.trim().split("\\s+"))
                .filter(w -> subnet.contains(InetAddress.ofLiteral(w[3].substring(0, w[3].indexOf('/'))))).map(w -> w[1]))
                .as("links with an address in " + subnet).containsExactly(f.bridge());
        assertThat(readProc(FORWARDING.getFirst()).strip()).isEqualTo("1");

        Box a = box(), b = box(), c = box();
        Endpoint ea = svc.attach(front, a.id(), a.ns(), EndpointSpec.names("jctest-a-1", "a"));
        Endpoint eb = svc.attach(front, b.id(), b.ns(), EndpointSpec.names("jctest-b-1", "b"));
        Endpoint ec = svc.attach(back, c.id(), c.ns(), EndpointSpec.names("jctest-c-1", "c"));
        String firstIp = io.jcompose.runtime.network.ipam.Subnet.text(subnet.address(java.math.BigInteger.TWO));
        assertThat(ea.ipv4()).isEqualTo(firstIp);
        assertThat(eb.ipv4()).isEqualTo(io.jcompose.runtime.network.ipam.Subnet.text(subnet.address(java.math.BigInteger.valueOf(3))));
        assertThat(ea.ifname()).isEqualTo("eth0");
        byte[] ip = InetAddress.ofLiteral(firstIp).getAddress();
        assertThat(ea.mac()).isEqualTo("02:42:" + HexFormat.ofDelimiter(":").formatHex(ip)); // Docker's 02:42 + IPv4
        assertThat(subnet.contains(InetAddress.ofLiteral(ec.ipv4()))).as("another network, another subnet").isFalse();

        // same network: ping, TCP, DNS by service and container name (through busybox, a real client)
        Cmd p = ping(a, eb.ipv4());
        assertThat(p.exit()).as(p.output()).isZero();
        assertThat(tcpConnects(a, b, eb.ipv4())).isTrue();
        assertThat(query(a, "b", DnsRecordType.A).addresses()).containsExactly(eb.ipv4());
        assertThat(query(a, "JCTEST-B-1.", DnsRecordType.A).addresses()).containsExactly(eb.ipv4());
        Cmd ns = Cmd.inNetns("jc-" + a.id(), "busybox", "nslookup", "b", "127.0.0.11");
        assertThat(ns.output()).as(ns.output()).contains(eb.ipv4());
        String[] o = eb.ipv4().split("\\.");
        assertThat(query(a, o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa", DnsRecordType.PTR).ptr())
                .containsExactly("jctest-b-1.jctest_front.");

        // other network: neither reachable nor visible
        assertThat(ping(c, ea.ipv4()).exit()).isNotZero();
        assertThat(ping(a, ec.ipv4()).exit()).isNotZero();
        assertThat(tcpConnects(c, a, ea.ipv4())).isFalse();
        assertThat(query(c, "a", DnsRecordType.A).addresses()).isEmpty();

        // forwarding to the (loopback, test) upstream from the host namespace
        DnsMessages.Answer fwd = query(a, "upstream.test", DnsRecordType.A);
        assertThat(fwd.rcode()).isZero();
        assertThat(fwd.addresses()).containsExactly("10.99.0.1");
        assertThat(query(a, "nothing.test", DnsRecordType.A).rcode()).as("upstream refuses: SERVFAIL").isEqualTo(2);

        // files
        assertThat(svc.hostsFile(a.id(), a.id().substring(0, 12), null, List.of()))
                .endsWith(firstIp + "\t" + a.id().substring(0, 12) + "\n");

        // detach: the name disappears, the veth goes
        svc.detach(front, b.id());
        assertThat(query(a, "b", DnsRecordType.A).addresses()).isEmpty();
        assertThat(Cmd.run("ip", "-o", "link").output()).doesNotContain(eb.hostVeth());

        // restart: rules rebuilt once, names still answered
        svc.close();
        svc = open();
        String table = Cmd.run("nft", "list", "table", "inet", names.nftTable()).output();
        assertThat(table.split("masquerade", -1)).hasSize(3);
        assertThat(query(a, "a", DnsRecordType.A).addresses()).containsExactly(ea.ipv4());

        assertThatThrownBy(() -> svc.removeNetwork(front)).hasMessageContaining("active endpoints");
        assertThatThrownBy(() -> svc.createNetwork(NetworkSpec.named("jctest_front"))).hasMessageContaining("already exists");
    }

    /**
     * Attaches and sandbox removals run their kernel work outside the service's lock: many at
     * once must still get distinct addresses, and tearing them all down at once leaves no veth.
     */
    @Test
    void parallelAttachesGetDistinctAddressesAndParallelRemovalsLeaveNoLink() throws Exception {
        String net = network(NetworkSpec.named("jctest_par"));
        int n = 16;
        List<Box> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) boxes.add(box());
        List<Endpoint> eps;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Endpoint>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Box b = boxes.get(i);
                String name = "jctest-p-" + i;
                fs.add(pool.submit(() -> svc.attach(net, b.id(), b.ns(), EndpointSpec.names(name))));
            }
            eps = new ArrayList<>();
            for (var f : fs) eps.add(f.get());
        }
        assertThat(eps.stream().map(Endpoint::ipv4).distinct().count()).isEqualTo(n);
        assertThat(eps).allMatch(e -> e.ifname().equals("eth0"));
        assertThat(svc.find(net).orElseThrow().endpoints()).hasSize(n);
        assertThat(query(boxes.getFirst(), "jctest-p-" + (n - 1), DnsRecordType.A).addresses()).containsExactly(eps.getLast().ipv4());
        assertThat(ping(boxes.getFirst(), eps.getLast().ipv4()).exit()).isZero();

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (Box b : boxes) fs.add(pool.submit(() -> svc.removeSandbox(b.id())));
            for (var f : fs) f.get(); // an exception fails the test
        }
        assertThat(svc.find(net).orElseThrow().endpoints()).isEmpty();
        String links = Cmd.run("ip", "-o", "link").output();
        for (Endpoint e : eps) assertThat(links).doesNotContain(e.hostVeth());
        svc.removeNetwork(net); // no endpoint and no reservation left
        networkIds.remove(net);
    }

    /**
     * Removal normally leaves the veth to the kernel's teardown of the dead namespace; when
     * something else keeps the namespace alive (here an open namespace file, as a container
     * started in it with {@code network_mode: container:x} would), the host-side veth is still
     * gone when removeSandbox returns.
     */
    @Test
    void removeSandboxDeletesTheVethItselfWhenTheNamespaceOutlivesIt() throws Exception {
        String net = network(NetworkSpec.named("jctest_held"));
        Box b = box();
        Endpoint e = svc.attach(net, b.id(), b.ns(), EndpointSpec.names("held"));
        assertThat(Cmd.run("ip", "-o", "link").output()).contains(e.hostVeth());
        try (var held = java.nio.channels.FileChannel.open(b.ns())) {
            svc.removeSandbox(b.id());
            assertThat(Cmd.run("ip", "-o", "link").output()).doesNotContain(e.hostVeth());
            assertThat(b.ns()).doesNotExist();
        }
        assertThat(svc.find(net).orElseThrow().endpoints()).isEmpty();
    }

    @Test
    void secondNetworkGetsEth1AndTakesOverTheDefaultRouteOnDetach() {
        String one = network(NetworkSpec.named("jctest_one"));
        String two = network(NetworkSpec.named("jctest_two"));
        Box a = box();
        Endpoint e1 = svc.attach(one, a.id(), a.ns(), EndpointSpec.names("a"));
        Endpoint e2 = svc.attach(two, a.id(), a.ns(), EndpointSpec.names("a"));
        assertThat(e1.ifname()).isEqualTo("eth0");
        assertThat(e2.ifname()).isEqualTo("eth1");
        assertThat(Cmd.inNetns("jc-" + a.id(), "ip", "route", "show", "default").output()).contains("via " + e1.gateway());
        assertThat(svc.hostsFile(a.id(), "h", null, List.of())).endsWith(e1.ipv4() + "\th\n" + e2.ipv4() + "\th\n");
        svc.detach(one, a.id());
        assertThat(Cmd.inNetns("jc-" + a.id(), "ip", "route", "show", "default").output())
                .contains("via " + e2.gateway() + " dev eth1");
        assertThat(svc.endpoints(a.id())).extracting(Endpoint::ifname).containsExactly("eth1");
        assertThat(svc.sandbox(a.id())).contains(a.ns());
        assertThatThrownBy(() -> svc.createSandbox(a.id())).hasMessageContaining("already has a network namespace");
        assertThat(Files.exists(a.ns())).isTrue();
    }

    @Test
    void restartForgetsEndpointsWhoseNamespaceDied() throws Exception {
        String net = network(NetworkSpec.named("jctest_stale"));
        Box a = box();
        Endpoint e = svc.attach(net, a.id(), a.ns(), EndpointSpec.names("gone"));
        svc.close();
        NetNamespace.delete(a.ns()); // as after a reboot: namespace and veth pair are gone
        // the kernel tears a namespace down asynchronously
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !Cmd.run("ip", "-o", "link").output().contains(e.hostVeth()));
        svc = open();
        assertThat(svc.find(net).orElseThrow().endpoints()).isEmpty();
        // and a veth on our bridge that the state does not know (crash before the state write)
        String stray = "jcvstray" + Long.toHexString(System.nanoTime() & 0xffff);
        try (var nl = io.jcompose.runtime.network.netlink.RtNetlink.open()) {
            int br = nl.link(svc.find(net).orElseThrow().bridge()).index();
            svc.close();
            nl.createVeth(stray, stray + "p", 0, br, -1, null);
            svc = open();
            assertThat(nl.linkExists(stray)).isFalse();
        }
        assertThat(svc.find(net).orElseThrow().endpoints()).isEmpty();
        assertThat(svc.endpoints(a.id())).isEmpty();
    }

    @Test
    void aRestartDeletesWhatACrashLeftWithItsTagAndNothingOfAnotherEngine() throws Exception {
        HostNames other = new HostNames(names.tag().equals("00000") ? "00001" : "00000");
        String ours = names.bridgePrefix() + "dead0", theirs = other.bridgePrefix() + "dead0";
        svc.close();
        try (var nl = io.jcompose.runtime.network.netlink.RtNetlink.open()) {
            try {
                // as after a crash between making the bridge / table and writing the state
                nl.createBridge(ours, 1500);
                nl.createBridge(theirs, 1500);
                Cmd.run("nft", "add", "table", "inet", names.nftTable());
                svc = open();
                assertThat(nl.linkExists(ours)).as("our stray bridge").isFalse();
                assertThat(nl.linkExists(theirs)).as("another engine's bridge").isTrue();
                assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).exit()).as("our stray table").isNotZero();
            } finally {
                nl.deleteLinkIfExists(ours);
                nl.deleteLinkIfExists(theirs);
            }
        }
    }

    @Test
    void twoEnginesNeverShareASubnetNorTouchEachOthersRules(@TempDir Path otherRoot) throws Exception {
        NetworkService second = new NetworkService(NetworkService.Options.defaults(otherRoot).withHostUpstreams(List.of()));
        HostNames secondNames = HostNames.forDataRoot(otherRoot);
        try {
            assertThat(secondNames.tag()).isNotEqualTo(names.tag());
            NetworkState mine = svc.find(network(NetworkSpec.named("jctest_mine"))).orElseThrow();
            NetworkState theirs = second.createNetwork(NetworkSpec.named("jctest_mine"));
            NetworkState myBridge = svc.createDefaultBridge("bridge");
            networkIds.add(myBridge.id());
            NetworkState theirBridge = second.createDefaultBridge("bridge");
            assertThat(myBridge.bridge()).isEqualTo(names.defaultBridge());
            assertThat(theirBridge.bridge()).isEqualTo(secondNames.defaultBridge());
            List<String> subnets = java.util.stream.Stream.of(mine, theirs, myBridge, theirBridge)
                    .map(n -> n.pools().getFirst().subnet()).toList();
            assertThat(subnets).as("every network its own subnet").doesNotHaveDuplicates();
            assertThat(mine.bridge()).startsWith(names.bridgePrefix());
            assertThat(theirs.bridge()).startsWith(secondNames.bridgePrefix());
            assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output())
                    .contains(mine.bridge()).doesNotContain(theirs.bridge());
            // both at the same moment: the host-wide lock keeps them from taking the same free subnet
            List<java.util.concurrent.Future<NetworkState>> made = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
                for (int i = 0; i < 3; i++) {
                    String name = "jctest_race" + i;
                    made.add(pool.submit(() -> svc.createNetwork(NetworkSpec.named(name))));
                    made.add(pool.submit(() -> second.createNetwork(NetworkSpec.named(name))));
                }
            }
            List<String> all = new ArrayList<>(subnets);
            for (var f : made) {
                NetworkState n = f.get();
                if (n.bridge().startsWith(names.bridgePrefix())) networkIds.add(n.id());
                all.add(n.pools().getFirst().subnet());
            }
            assertThat(all).as("ten networks of two engines").hasSize(10).doesNotHaveDuplicates();
            for (NetworkState n : second.list()) if (!n.id().equals(theirs.id()) && !n.id().equals(theirBridge.id())) second.removeNetwork(n.id());
            second.removeNetwork(theirs.id());
            second.removeNetwork(theirBridge.id());
            assertThat(Cmd.run("nft", "list", "table", "inet", secondNames.nftTable()).exit()).as("its table goes with its last network").isNotZero();
            assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output()).contains(mine.bridge(), myBridge.bridge());
            assertThat(Cmd.run("ip", "-o", "link").output()).contains(mine.bridge(), myBridge.bridge());
        } finally {
            for (NetworkState n : second.list()) second.removeNetwork(n.id());
            second.close();
        }
    }

    @Test
    void twoDataRootsHashingToTheSameTagStillGetTheirOwnObjects(@TempDir Path parent) throws Exception {
        Path[] roots = io.jcompose.runtime.sys.HostTagsTest.clashingRoots(parent);
        assertThat(HostNames.hashed(roots[0], 0)).as("a real clash").isEqualTo(HostNames.hashed(roots[1], 0));
        NetworkService a = new NetworkService(NetworkService.Options.defaults(roots[0]).withHostUpstreams(List.of()));
        NetworkService b = null;
        try {
            b = new NetworkService(NetworkService.Options.defaults(roots[1]).withHostUpstreams(List.of()));
            assertThat(b.names()).as("the second claim takes an alternative").isNotEqualTo(a.names())
                    .isEqualTo(HostNames.hashed(roots[1], 1)).isEqualTo(HostNames.forDataRoot(roots[1]));
            assertThat(io.jcompose.runtime.sys.HostTags.host().owner(a.names().tag()).orElseThrow().dataRoot()).isEqualTo(roots[0]);
            NetworkState na = a.createDefaultBridge("bridge"), nb = b.createDefaultBridge("bridge");
            assertThat(na.bridge()).isEqualTo(a.names().defaultBridge());
            assertThat(nb.bridge()).isEqualTo(b.names().defaultBridge()).isNotEqualTo(na.bridge());
            assertThat(Cmd.run("nft", "list", "table", "inet", b.names().nftTable()).output()).contains(nb.bridge()).doesNotContain(na.bridge());
            b.close();
            b = new NetworkService(NetworkService.Options.defaults(roots[1]).withHostUpstreams(List.of()));
            assertThat(b.names()).as("a restart keeps the alternative").isEqualTo(HostNames.hashed(roots[1], 1));
            assertThat(Cmd.run("ip", "-o", "link").output()).as("neither restart took the other's bridge").contains(na.bridge(), nb.bridge());
        } finally {
            for (NetworkService s : java.util.Arrays.asList(a, b)) {
                if (s == null) continue;
                for (NetworkState n : s.list()) s.removeNetwork(n.id());
                s.close();
            }
        }
    }

    @Test
    void scaledServiceReturnsEveryReplica() {
        String net = network(NetworkSpec.named("jctest_scale"));
        Box client = box();
        svc.attach(net, client.id(), client.ns(), EndpointSpec.names("jctest-client-1", "client"));
        List<String> ips = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Box w = box();
            ips.add(svc.attach(net, w.id(), w.ns(), EndpointSpec.names("jctest-web-" + i, "web")).ipv4());
        }
        DnsMessages.Answer a = query(client, "web", DnsRecordType.A);
        assertThat(a.addresses()).containsExactlyInAnyOrderElementsOf(ips);
        assertThat(a.ttls()).containsOnly(600L);
    }

    @Test
    void internalNetworkHasNoWayOutAndStaticAddressesWork() throws Exception {
        String internal = network(NetworkSpec.named("jctest_internal").withInternal(true)
                .withIpam(List.of(new IpamConfig("10.213.9.0/24", null, null, Map.of())))
                .withDriverOpts(Map.of(NetworkSpec.OPT_MTU, "1400")));
        Box d = box(), e = box();
        Endpoint ed = svc.attach(internal, d.id(), d.ns(), new EndpointSpec(List.of("d"), "10.213.9.50", null, null));
        Endpoint ee = svc.attach(internal, e.id(), e.ns(), EndpointSpec.names("e"));
        assertThat(ed.ipv4()).isEqualTo("10.213.9.50");
        assertThat(ee.ipv4()).isEqualTo("10.213.9.2");
        assertThat(Cmd.inNetns("jc-" + d.id(), "ip", "route").output()).doesNotContain("default");
        Cmd route = Cmd.inNetns("jc-" + d.id(), "ip", "route", "get", "198.51.100.1"); // lookup only, sends nothing
        assertThat(route.exit()).isNotZero();
        assertThat(route.output()).contains("unreachable");
        assertThat(Cmd.inNetns("jc-" + d.id(), "ip", "link", "show", "eth0").output()).contains("mtu 1400");
        assertThat(ping(d, ee.ipv4()).exit()).isZero();
        // no host upstreams without external access: unknown names fail, the upstream is never asked
        int before = upstream.queries.get();
        assertThat(query(d, "upstream.test", DnsRecordType.A).rcode()).isEqualTo(2);
        assertThat(upstream.queries.get()).isEqualTo(before);
        String bridge = svc.find(internal).orElseThrow().bridge();
        String table = Cmd.run("nft", "list", "table", "inet", names.nftTable()).output();
        assertThat(table).doesNotContain("masquerade")
                .contains("iifname \"" + bridge + "\" oifname != \"" + bridge + "\" drop");
    }

    @Test
    void dnsServersOfTheContainerAreAskedFromInsideItAndTcpWorks() throws Exception {
        String net = network(NetworkSpec.named("jctest_dnsopt"));
        Box server = box();
        Endpoint es = svc.attach(net, server.id(), server.ns(), EndpointSpec.names("resolver"));
        // a test DNS server inside the "resolver" namespace, reachable only from that network
        DatagramSocket sock = NetNamespace.call(server.ns(),
                () -> new DatagramSocket(new InetSocketAddress(es.ipv4(), 53)));
        try (TestUpstream inside = new TestUpstream(Map.of("inside.test", InetAddress.ofLiteral("10.98.0.1")), sock)) {
            byte[] b = new byte[32];
            ThreadLocalRandom.current().nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            sandboxes.add(id);
            Box client = new Box(id, svc.createSandbox(id, List.of(es.ipv4()),
                    List.of(new io.jcompose.runtime.network.dns.HostsFile.ExtraHost("Gateway.Test", "10.213.99.1"))));
            svc.attach(net, client.id(), client.ns(), EndpointSpec.names("client"));
            // extra_hosts answer from the embedded DNS too (and only for that container)
            assertThat(query(client, "gateway.test", DnsRecordType.A).addresses()).containsExactly("10.213.99.1");
            assertThat(query(client, "gateway.test", DnsRecordType.AAAA).rcode()).isZero();
            assertThat(query(server, "gateway.test", DnsRecordType.A).addresses()).isEmpty();
            assertThat(query(client, "inside.test", DnsRecordType.A).addresses()).containsExactly("10.98.0.1");
            assertThat(inside.queries.get()).isEqualTo(1);
            int hostBefore = upstream.queries.get();
            assertThat(query(client, "upstream.test", DnsRecordType.A).rcode()).as("dns: replaces host upstreams").isEqualTo(2);
            assertThat(upstream.queries.get()).isEqualTo(hostBefore);

            // TCP on 127.0.0.11:53 too
            DnsMessages.Answer tcp = NetNamespace.call(client.ns(), () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.11", 53), 2000);
                    s.setSoTimeout(3000);
                    byte[] q = DnsMessages.query(9, "resolver", DnsRecordType.A);
                    var out = new java.io.DataOutputStream(s.getOutputStream());
                    out.writeShort(q.length);
                    out.write(q);
                    out.flush();
                    var in = new java.io.DataInputStream(s.getInputStream());
                    byte[] r = new byte[in.readUnsignedShort()];
                    in.readFully(r);
                    return DnsMessages.parse(r);
                }
            });
            assertThat(tcp.id()).isEqualTo(9);
            assertThat(tcp.addresses()).containsExactly(es.ipv4());
        }
        assertThat(svc.resolvConf(List.of(es.ipv4()), List.of(), List.of()))
                .contains("nameserver 127.0.0.11\n").contains("# ExtServers: [" + es.ipv4() + "]");
    }

    @Test
    void dualStackNetworkAnswersAaaa() {
        String net = network(NetworkSpec.named("jctest_v6").withIpv6(true)
                .withIpam(List.of(IpamConfig.ofSubnet("10.213.10.0/24"), IpamConfig.ofSubnet("fd00:213:10::/64"))));
        Box a = box(), b = box();
        svc.attach(net, a.id(), a.ns(), EndpointSpec.names("a6"));
        Endpoint eb = svc.attach(net, b.id(), b.ns(), EndpointSpec.names("b6"));
        assertThat(eb.ipv6()).isEqualTo("fd00:213:10::3");
        assertThat(query(a, "b6", DnsRecordType.AAAA).addresses()).containsExactly("fd00:213:10:0:0:0:0:3");
        Cmd p = Cmd.inNetns("jc-" + a.id(), "busybox", "ping", "-c", "1", "-W", "2", eb.ipv6());
        assertThat(p.exit()).as(p.output()).isZero();
    }

    /** Answers "hi" to every TCP connection and echoes UDP datagrams, inside {@code box}'s namespace. */
    static AutoCloseable servers(Box box, int tcpPort, int udpPort) {
        ServerSocket ss = NetNamespace.call(box.ns(), () -> new ServerSocket(tcpPort));
        DatagramSocket ds = NetNamespace.call(box.ns(), () -> new DatagramSocket(udpPort));
        Thread t1 = Thread.ofPlatform().daemon().start(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write("hi\n".getBytes());
                } catch (IOException e) {
                    return;
                }
            }
        });
        Thread t2 = Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[512];
            while (!ds.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    ds.receive(p);
                    ds.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return () -> {
            ss.close();
            ds.close();
            t1.join(2000);
            t2.join(2000);
        };
    }

    /**
     * Connects to {@code 10.213.20.1:port} (the host end of a veth pair made here) from a test
     * namespace at 10.213.20.2: the path of traffic arriving from another machine, without
     * touching eth0.
     */
    static String fromOutside(int port) throws Exception {
        String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
        String hostEnd = "jcvo" + suffix;
        Path ns = NetNamespace.pathFor("o" + suffix);
        try (io.jcompose.runtime.network.netlink.RtNetlink nl = io.jcompose.runtime.network.netlink.RtNetlink.open()) {
            NetNamespace.create(ns);
            NetNamespace.withFd(ns, fd -> {
                nl.createVeth(hostEnd, "eth0", 0, 0, fd, null);
                return null;
            });
            nl.addAddress(nl.link(hostEnd).index(), InetAddress.ofLiteral("10.213.20.1"), 30);
            return NetNamespace.call(ns, () -> {
                try (var in = io.jcompose.runtime.network.netlink.RtNetlink.open()) {
                    int eth0 = in.link("eth0").index();
                    in.addAddress(eth0, InetAddress.ofLiteral("10.213.20.2"), 30);
                    in.setUp(eth0, true);
                    in.addDefaultRoute(InetAddress.ofLiteral("10.213.20.1"), eth0);
                }
                return readLine(new InetSocketAddress("10.213.20.1", port));
            });
        } finally {
            try (var nl = io.jcompose.runtime.network.netlink.RtNetlink.open()) {
                nl.deleteLinkIfExists(hostEnd);
            }
            NetNamespace.delete(ns);
        }
    }

    static String readLine(InetSocketAddress to) {
        try (Socket s = new Socket()) {
            s.connect(to, 2000);
            s.setSoTimeout(2000);
            return new String(s.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    @Test
    void publishedPortsFromLoopbackFromAnotherNetworkUdpEphemeralAndConflicts() throws Exception {
        String front = network(NetworkSpec.named("jctest_pub"));
        String other = network(NetworkSpec.named("jctest_pub2"));
        Box web = box(), cli = box();
        svc.attach(front, web.id(), web.ns(), EndpointSpec.names("web"));
        Endpoint ec = svc.attach(other, cli.id(), cli.ns(), EndpointSpec.names("cli"));
        try (AutoCloseable srv = servers(web, 80, 9999)) {
            List<PortBinding> b = svc.publish(web.id(), List.of(PortSpec.tcp(0, 80), new PortSpec("udp", "127.0.0.1", 0, 9999)));
            int tcpPort = b.get(0).hostPort();
            assertThat(tcpPort).isBetween(32768, 65535);
            assertThat(b.get(0).hostIp()).isEqualTo("0.0.0.0");
            assertThat(svc.ports(web.id())).isEqualTo(b);
            PortBinding udp = b.stream().filter(x -> x.protocol().equals("udp")).findFirst().orElseThrow();
            if (NetworkService.IPV6_HOST) {
                // as Docker: the unspecified address is published on [::] too, same port, proxied to the IPv4 container
                assertThat(b).hasSize(3).element(1).isEqualTo(new PortBinding("tcp", "::", tcpPort, b.get(0).containerIp(), 80));
                assertThat(readLine(new InetSocketAddress("::1", tcpPort))).isEqualTo("hi");
            } else {
                System.out.println("NetworkServiceTest: the host has no IPv6; the [::] binding is not checked");
                assertThat(b).hasSize(2);
            }

            // host loopback: through the userland proxy
            assertThat(readLine(new InetSocketAddress("127.0.0.1", tcpPort))).isEqualTo("hi");
            // another container via the host (its gateway is a host address): kernel DNAT
            String viaHost = NetNamespace.call(cli.ns(), () -> readLine(new InetSocketAddress(ec.gateway(), tcpPort)));
            assertThat(viaHost).isEqualTo("hi");
            // "from outside": a test namespace joined to the host by its own veth pair
            assertThat(fromOutside(tcpPort)).isEqualTo("hi");
            // UDP on loopback
            try (DatagramSocket u = new DatagramSocket()) {
                u.setSoTimeout(2000);
                u.send(new DatagramPacket("ping".getBytes(), 4, new InetSocketAddress("127.0.0.1", udp.hostPort())));
                DatagramPacket r = new DatagramPacket(new byte[64], 64);
                u.receive(r);
                assertThat(new String(r.getData(), 0, r.getLength())).isEqualTo("ping");
            }

            // conflicts: ours, then someone else's; nothing half-made either time
            assertThatThrownBy(() -> svc.publish(cli.id(), List.of(PortSpec.tcp(0, 81), PortSpec.tcp(tcpPort, 80))))
                    .hasMessage("Bind for 0.0.0.0:" + tcpPort + " failed: port is already allocated");
            assertThat(svc.ports(cli.id())).isEmpty();
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
                assertThatThrownBy(() -> svc.publish(cli.id(), List.of(PortSpec.tcp(taken.getLocalPort(), 80))))
                        .hasMessageContaining("0.0.0.0:" + taken.getLocalPort()).hasMessageContaining("address already in use");
            }
            assertThat(svc.ports(cli.id())).isEmpty();
            assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output())
                    .contains("dport " + tcpPort + " dnat ip to " + b.get(0).containerIp() + ":80");

            svc.unpublish(web.id());
            assertThat(readLine(new InetSocketAddress("127.0.0.1", tcpPort))).startsWith("failed");
            assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output()).doesNotContain("dnat ip to");
        }
    }
}
