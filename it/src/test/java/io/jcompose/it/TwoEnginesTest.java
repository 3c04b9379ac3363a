package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.HostView;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.sys.HostNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two private engines on one host, as when a test or bench engine runs next to the user's: each
 * publishes a port of the same project, both answer at the same time, and stopping one leaves
 * the other's nft table, DNAT rules and bridges in place.
 *
 * <p>The client is a test network namespace joined to the host by its own veth pair
 * (10.213.27.2 → host end 10.213.27.1, never eth0), and the ports are published on the host end.
 * The service answers with the client address it sees ({@code REMOTE_ADDR} of a CGI script):
 * 10.213.27.2 proves the kernel's DNAT path of this engine's table carried the connection; the
 * userland proxy, which also listens there, would show the bridge's gateway instead.
 */
@Tag("root")
@Tag("registry")
class TwoEnginesTest {
    private static final String HOST_END = "10.213.27.1", CLIENT = "10.213.27.2";
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    @TempDir Path dir;

    ComposeRun a, b;
    String suffix, netns, veth, ipForwardBefore;

    @BeforeEach
    void clientNamespace() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (engines, namespaces, links)");
        Assumptions.assumeTrue(ComposeRun.registryAnswers(), "the fixture registry does not answer on " + ComposeRun.MIRROR
                + ": run fixtures/registry up");
        ipForwardBefore = Files.readString(IP_FORWARD);
        suffix = HexFormat.of().formatHex(randomBytes());
        netns = "te2e-" + suffix; // not jc-/jcv: other tests look for those host-wide
        veth = "te2e" + suffix;
        sh("ip", "netns", "add", netns);
        sh("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
        sh("ip", "addr", "add", HOST_END + "/30", "dev", veth);
        sh("ip", "link", "set", veth, "up");
        sh("ip", "-n", netns, "addr", "add", CLIENT + "/30", "dev", "eth0");
        sh("ip", "-n", netns, "link", "set", "eth0", "up");
        sh("ip", "-n", netns, "link", "set", "lo", "up");
        sh("ip", "-n", netns, "route", "add", "default", "via", HOST_END);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (a != null) a.close();
        } finally {
            try {
                if (b != null) b.close();
            } finally {
                ComposeRun.run("ip", "link", "del", veth);
                ComposeRun.run("ip", "netns", "del", netns);
                if (ipForwardBefore != null) Files.writeString(IP_FORWARD, ipForwardBefore);
            }
        }
    }

    @Test
    void bothEnginesPublishAtOnceAndStoppingOneLeavesTheOthersRulesAndBridges() throws Exception {
        a = engine("a");
        b = engine("b");
        int portA = Integer.parseInt(a.environment().get("WEB_PORT")), portB = Integer.parseInt(b.environment().get("WEB_PORT"));
        HostNames namesA = HostView.names(a), namesB = HostView.names(b);
        assertThat(namesA.tag()).isNotEqualTo(namesB.tag());
        for (ComposeRun r : new ComposeRun[] {a, b}) {
            ComposeRun.Result up = r.jcompose("up", "-d", "--wait", "--wait-timeout", "60");
            assertThat(up.code()).as("up: " + up.err()).isZero();
        }

        // both at the same time, each through its own engine's DNAT
        assertThat(getFromClient(portA)).isEqualTo(CLIENT);
        assertThat(getFromClient(portB)).isEqualTo(CLIENT);
        String subnetA = subnet(a), subnetB = subnet(b);
        assertThat(subnetA).as("the two engines' networks").isNotEqualTo(subnetB);
        String tableB = ComposeRun.run("nft", "list", "table", "inet", namesB.nftTable());
        assertThat(ComposeRun.run("nft", "list", "table", "inet", namesA.nftTable()))
                .contains("dport " + portA + " dnat").doesNotContain("dport " + portB + " ").doesNotContain(namesB.bridgePrefix());
        assertThat(tableB).contains("dport " + portB + " dnat").contains(subnetB + " oifname").doesNotContain(namesA.bridgePrefix());
        String bridgeB = bridgeOf(namesB);

        a.close();
        a = null;
        Files.writeString(IP_FORWARD, "1\n"); // ComposeRun puts back the value from before; engine b still needs it, as it set it

        assertThat(ComposeRun.run("nft", "list", "table", "inet", namesA.nftTable())).as("a's table went with a").contains("No such file");
        assertThat(bridgeOf(namesA)).as("a's bridges").isEmpty();
        assertThat(ComposeRun.run("nft", "list", "table", "inet", namesB.nftTable())).as("b's table untouched").isEqualTo(tableB);
        assertThat(bridgeOf(namesB)).isEqualTo(bridgeB).isNotEmpty();
        assertThat(getFromClient(portB)).isEqualTo(CLIENT);
    }

    private ComposeRun engine(String name) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        Path project = Files.createDirectories(work.resolve("web"));
        Path composeFile = project.resolve("compose.yaml");
        // the same project name on both engines: nothing of it may collide on the host
        Files.writeString(composeFile, """
                services:
                  web:
                    image: busybox:latest
                    command:
                      - sh
                      - -c
                      - |
                        mkdir -p /www/cgi-bin
                        printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $$REMOTE_ADDR\\n' > /www/cgi-bin/ip
                        chmod +x /www/cgi-bin/ip
                        exec httpd -f -p 8080 -h /www
                    ports: ["%s:${WEB_PORT}:8080"]
                    healthcheck:
                      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/cgi-bin/ip"]
                      interval: 1s
                      timeout: 2s
                      retries: 30
                """.formatted(HOST_END));
        return ComposeRun.prepare(composeFile, work, Map.of("WEB_PORT", Integer.toString(ComposeRun.freePort())));
    }

    /** What the service says the client address is, asked from the client namespace (retried while it starts). */
    private String getFromClient(int port) throws Exception {
        String last = "";
        for (int i = 0; i < 50; i++) {
            last = ComposeRun.run("ip", "netns", "exec", netns, "curl", "-sS", "-m", "3",
                    "http://" + HOST_END + ":" + port + "/cgi-bin/ip").strip().replaceAll("\\[|]|::ffff:", ""); // httpd says [::ffff:a.b.c.d]
            if (last.matches("[0-9.]+")) return last;
            Thread.sleep(200);
        }
        return last;
    }

    private static String subnet(ComposeRun r) throws IOException {
        EngineClient api = new EngineClient(new DockerHost.Unix(r.socket()));
        return api.inspectNetwork("web_default").ipam().config().getFirst().subnet();
    }

    /** This engine's bridges, from {@code ip -o link}. */
    private static String bridgeOf(HostNames names) throws Exception {
        return ComposeRun.run("ip", "-o", "link", "show", "type", "bridge").lines()
                .map(l -> l.split(": ")[1]).filter(n -> n.startsWith(names.bridgePrefix())).sorted()
                .reduce((x, y) -> x + " " + y).orElse("");
    }

    private static byte[] randomBytes() {
        byte[] r = new byte[3];
        ThreadLocalRandom.current().nextBytes(r);
        return r;
    }

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
