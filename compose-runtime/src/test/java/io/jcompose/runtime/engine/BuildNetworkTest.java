package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.jcompose.runtime.engine.PrivateDaemon.Run;
import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.sys.HostNames;
import io.jcompose.testsupport.IpForward;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network and confinement of RUN steps on a private {@code jcomposed}, driven by Debian's
 * docker CLI with the classic builder ({@code POST /build}).
 *
 * <p>"Outside" is an HTTP server in a test network namespace joined to the host by a veth pair
 * this test makes (10.213.41.2, host end 10.213.41.1/30; never eth0). That namespace has no
 * route back to the engine's bridge subnet, so a RUN can only fetch from it when the engine
 * masquerades the step's traffic, and the server sees the host end as the client — the proof
 * that the default build network is NATed, not loopback-only. ip_forward is given back as found.
 */
@Tag("root")
@Tag("registry")
class BuildNetworkTest {
    static final Path DOCKER = Path.of("/usr/bin/docker");
    private static final String HOST_END = "10.213.41.1", SERVER = "10.213.41.2";

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("build-net").cli(DOCKER).env("DOCKER_BUILDKIT", "0");

    Map<Path, String> ipForwardBefore;
    String veth;
    Path netns;
    HttpServer server;
    /** The client address of every request the server answered. */
    final List<String> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void outsideServer() throws Exception {
        ipForwardBefore = IpForward.read();
        String suffix = HexFormat.of().formatHex(randomBytes(3));
        netns = NetNamespace.RUN_NETNS.resolve("tbn-" + suffix); // not jc-: other tests look for those
        veth = "tbn" + suffix;
        NetNamespace.create(netns);
        sh("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns.getFileName().toString());
        sh("ip", "addr", "add", HOST_END + "/30", "dev", veth);
        sh("ip", "link", "set", veth, "up");
        String ns = netns.getFileName().toString();
        sh("ip", "-n", ns, "addr", "add", SERVER + "/30", "dev", "eth0");
        sh("ip", "-n", ns, "link", "set", "eth0", "up");
        // no default route there: only the host end (what masquerading makes the source) is reachable
        server = NetNamespace.call(netns, () -> HttpServer.create(new InetSocketAddress(SERVER, 0), 0));
        server.createContext("/hello", ex -> {
            clients.add(ex.getRemoteAddress().getAddress().getHostAddress());
            byte[] body = "hello-from-outside\n".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void removeOutside() throws Exception {
        try {
            if (server != null) {
                server.stop(0);
            }
        } finally {
            try {
                run("ip", "link", "del", veth);
                NetNamespace.delete(netns);
            } finally {
                IpForward.restore(ipForwardBefore);
            }
        }
    }

    private String url() {
        return "http://" + SERVER + ":" + server.getAddress().getPort() + "/hello";
    }

    @Test
    void defaultNetworkReachesOutThroughNatAndNoneDoesNot() throws Exception {
        Path ctx = d.context("nat", Map.of("Dockerfile", """
                FROM busybox
                ARG URL
                RUN wget -q -O - "$URL" > /fetched && cat /fetched && cat /etc/resolv.conf
                CMD ["cat", "/fetched"]
                """));
        // by a name from --add-host (the step's /etc/hosts), through the NAT
        String byName = url().replace(SERVER, "outside.test");
        Run nat = d.build(ctx, "--add-host", "outside.test:" + SERVER, "--build-arg", "URL=" + byName, "-t", "jc-build-net:nat", ".").ok();
        assertThat(nat.out()).contains("hello-from-outside").contains("nameserver 127.0.0.11");
        // masqueraded: the server saw the host's end of its link, not the step's bridge address
        assertThat(clients).containsExactly(HOST_END);
        assertThat(docker("run", "--rm", "--network", "none", "jc-build-net:nat").ok().out()).isEqualTo("hello-from-outside\n");

        for (String mode : List.of("none", "default", "bridge")) {
            clients.clear();
            Run r = d.build(ctx, "--no-cache", "--network", mode, "--build-arg", "URL=" + url(), ".");
            if (mode.equals("none")) {
                assertThat(r.exit()).as("network none: " + r.out() + r.err()).isNotZero();
                assertThat(r.err()).contains("returned a non-zero code");
                assertThat(clients).isEmpty();
            } else {
                r.ok();
                assertThat(clients).as("network " + mode).containsExactly(HOST_END);
            }
        }
        assertNothingLeft();
    }

    @Test
    void stepsHaveDockersSeccompProfileAndACgroupUnderTheEnginesParentWithTheBuildsLimits() throws Exception {
        Path ctx = d.context("confined", Map.of("Dockerfile", """
                FROM busybox
                RUN grep Seccomp: /proc/self/status && cat /proc/self/cgroup && grep CapEff /proc/self/status \\
                    && ulimit -n && grep ' /dev/shm ' /proc/mounts \
                    && echo "memory limit $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null)"
                """));
        Run r = d.build(ctx, "--memory", "64m", "--shm-size", "32m", "--ulimit", "nofile=1000:2000", ".").ok();
        assertThat(r.out()).contains("Seccomp:\t2").contains("CapEff:\t00000000a80425fb").contains("\n1000\n")
                .contains("size=32768k").contains("memory limit 67108864");
        String id = runningIn(r.out());
        String parent = HostNames.forDataRoot(d.dataRoot()).cgroupParent();
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        Assumptions.assumeFalse(v2, "on cgroup v2 the step's cgroup namespace shows its cgroup as / (checked on v1 hosts)");
        // cgroup v1: /proc/self/cgroup names the host path of every hierarchy
        Matcher m = Pattern.compile("(?m)^\\d+:[^:]*memory[^:]*:(.*)$").matcher(r.out());
        assertThat(m.find()).as("memory line of /proc/self/cgroup in " + r.out()).isTrue();
        assertThat(m.group(1)).startsWith("/" + parent + "/" + id);
        assertNothingLeft();
    }

    @Test
    void aFailingStepLeavesNoLinkNamespaceOrCgroupBehind() throws Exception {
        Path ctx = d.context("fails", Map.of("Dockerfile", """
                FROM busybox
                ARG URL
                RUN wget -q -O - "$URL" && exit 3
                """));
        Run r = d.build(ctx, "--build-arg", "URL=" + url(), ".");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("hello-from-outside");
        assertNothingLeft();
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("Running in ([0-9a-f]{12})").matcher(r.out());
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).hasSize(1);
        try (Stream<Path> s = Files.list(NetNamespace.RUN_NETNS)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("jc-" + ids.getFirst()));
        }
    }

    @Test
    void aBuildWhoseClientLeavesIsStoppedAndCleanedUp() throws Exception {
        Path ctx = d.context("cancel", Map.of("Dockerfile", "FROM busybox\nRUN echo \"$((40 + 2)) running\" && sleep 600\n"));
        Process p = startBuild(ctx);
        try {
            awaitOutput(p, d.dir().resolve("cancel.out"), "42 running"); // the command's output, not the step's line
            assertThat(buildContainers()).hasSize(1);
        } finally {
            p.destroy(); // the CLI goes, and with it the connection
            p.waitFor();
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!buildContainers().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(buildContainers()).as("build containers after the client left").isEmpty();
        assertNothingLeft();
    }

    @Test
    void aDaemonRestartedUnderARunningStepRemovesItsContainerAndNetwork() throws Exception {
        Path ctx = d.context("restart", Map.of("Dockerfile", "FROM busybox\nRUN echo \"$((40 + 2)) running\" && sleep 600\n"));
        Process p = startBuild(ctx);
        Path out = d.dir().resolve("restart.out");
        try {
            awaitOutput(p, out, "42 running"); // the command's output, not the step's line
            assertThat(buildContainers()).hasSize(1);
            // the closing connection cancels the step; what the old daemon did not clean, the new one sweeps
            d.restart();
        } finally {
            p.destroy();
            p.waitFor();
        }
        assertNothingLeft();
    }

    // ------------------------------------------------------------------ helpers

    /** {@code docker build .} in {@code ctx} in the background, its output in {@code <dir>/<ctx name>.out}. */
    private static Process startBuild(Path ctx) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(DOCKER.toString(), "build", ".").directory(ctx.toFile());
        pb.environment().put("DOCKER_HOST", "unix://" + d.dir().resolve("jc.sock"));
        pb.environment().put("DOCKER_CONFIG", d.dir().resolve("docker-config").toString());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Path out = d.dir().resolve(ctx.getFileName().toString().substring(4) + ".out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        return pb.start();
    }

    private static void awaitOutput(Process p, Path out, String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!Files.readString(out).contains(text) && Instant.now().isBefore(deadline) && p.isAlive()) {
            Thread.sleep(200);
        }
        assertThat(Files.readString(out)).contains(text);
    }

    /** No build container, none of this engine's veths or bridges, netns or cgroups are left. */
    private static void assertNothingLeft() throws Exception {
        HostNames names = HostNames.forDataRoot(d.dataRoot());
        assertThat(buildContainers()).as("build containers").isEmpty();
        String links = run("ip", "-o", "link", "show");
        assertThat(links).as("links of this engine").doesNotContain(names.vethPrefix()).doesNotContain(names.bridgePrefix());
        try (Stream<Path> s = Files.walk(Path.of("/sys/fs/cgroup"), 2)) {
            List<Path> parents = s.filter(p -> p.getFileName().toString().equals(names.cgroupParent())).toList();
            for (Path parent : parents) {
                try (Stream<Path> children = Files.list(parent)) {
                    assertThat(children.filter(Files::isDirectory)).as("cgroups under " + parent).isEmpty();
                }
            }
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(d.dataRoot().resolve("builder").toString());
    }

    private static List<String> buildContainers() throws IOException {
        Path dir = d.dataRoot().resolve("builder/containers");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The full id of the (only) step container whose {@code Running in <id12>} the output shows, found in /proc/self/cgroup's lines. */
    private static String runningIn(String out) {
        Matcher m = Pattern.compile("Running in ([0-9a-f]{12})").matcher(out);
        assertThat(m.find()).as("Running in ... in " + out).isTrue();
        Matcher full = Pattern.compile("/(" + m.group(1) + "[0-9a-f]{52})").matcher(out);
        return full.find() ? full.group(1) : m.group(1);
    }

    static Run docker(String... args) throws IOException, InterruptedException {
        return d.docker(120, args);
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
