package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.it.support.HostView;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerInspect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jcompose up -d} / {@code ps} / {@code logs} / {@code down} of a two-service busybox
 * project, once on a real jcomposed (started by the CLI itself, since none answers on the
 * configured socket) and once, as the cross-oracle, on Debian's dockerd through {@code -H}; images
 * pulled through the registry mirror {@code http://127.0.0.1:5000} of the fixture registry. The
 * client service pings the server by name and must exit 0; after {@code down} nothing is left,
 * checked from the host ({@code ip netns}, {@code ip link}) as well as through the API.
 */
@Tag("root")
@Tag("registry")
class UpDownTest {
    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    @ParameterizedTest
    @EnumSource(ComposeRun.Engine.class)
    void twoServicesFindEachOtherByNameAndDownLeavesNothing(ComposeRun.Engine engine) throws Exception {
        Path composeFile = compose.project("pair", """
                services:
                  server:
                    image: busybox:latest
                    command: ["sleep", "300"]
                  client:
                    image: busybox:latest
                    command: ["ping", "-c", "1", "-W", "5", "server"]
                    depends_on: [server]
                """);
        run = compose.prepare(engine, composeFile, Map.of());
        boolean ours = engine == ComposeRun.Engine.JCOMPOSED;
        Path socket = run.socket();

        // No daemon answers yet: `up` starts one with the configuration above (and its mirror).
        ComposeRun.Result up = run.jcompose("up", "-d");
        // stderr holds only the plain progress display (no warning, no error line)
        assertThat(up.err()).contains(" Container pair-server-1 Started ");
        assertThat(up.err().lines()).allMatch(l -> l.startsWith(" "));
        assertThat(up.code()).isZero();

        EngineClient api = new EngineClient(new DockerHost.Unix(socket));
        if (ours) {
            assertThat(api.info().registryConfig().mirrors()).containsExactly(ComposeRun.MIRROR);
        }
        ContainerInspect client = api.inspectContainer("pair-client-1");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (client.state().running() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            client = api.inspectContainer("pair-client-1");
        }
        assertThat(client.state().status()).isEqualTo("exited");
        assertThat(client.state().exitCode()).as("ping server from client").isZero();

        ComposeRun.Result ps = run.jcompose("ps");
        assertThat(ps.code()).isZero();
        assertThat(ps.out()).startsWith("NAME ").contains("pair-server-1", "busybox:latest", "\"sleep 300\"", "server", "Up ")
                .doesNotContain("pair-client-1");
        List<String> ids = run.jcompose("ps", "-a", "-q").out().lines().toList();
        assertThat(ids).hasSize(2).allMatch(id -> id.matches("[0-9a-f]{64}"));
        assertThat(run.jcompose("ps", "-a", "--services").out()).isEqualTo("client\nserver\n");
        assertThat(run.jcompose("logs", "client").out()).contains("client-1  | 64 bytes from ");
        String networkId = api.inspectNetwork("pair_default").id();
        String serverId = run.jcompose("ps", "-q").out().strip();
        assertThat(ids).contains(serverId);
        if (ours) {
            assertThat(ComposeRun.run("ip", "netns", "list")).contains("jc-" + serverId); // the running one has its netns
        }
        assertThat(ComposeRun.run("ip", "-o", "link", "show")).contains(bridgeOf(run, engine, networkId));

        ComposeRun.Result down = run.jcompose("down", "-t", "1");
        assertThat(down.err()).contains(" Container pair-server-1 Removed ");
        assertThat(down.err().lines()).allMatch(l -> l.startsWith(" "));
        assertThat(down.code()).isZero();

        // the reference dockerd is shared with other tests: only this project's containers count
        assertThat(api.listContainers(true, Filters.of("label", "com.docker.compose.project=pair"))).isEmpty();
        assertThat(api.listNetworks(Filters.NONE)).noneMatch(n -> n.name().equals("pair_default"));
        String netns = ComposeRun.run("ip", "netns", "list");
        String links = ComposeRun.run("ip", "-o", "link", "show");
        for (String id : ids) {
            assertThat(netns).doesNotContain("jc-" + id);
            assertThat(Path.of("/run/netns/jc-" + id)).doesNotExist();
        }
        assertThat(links).doesNotContain(bridgeOf(run, engine, networkId));
        assertThat(run.jcompose("ps", "-a", "-q").out()).isEmpty();
    }

    /** The network's bridge on the host: {@code jc<tag>-<7 hex>} for ours, {@code br-<12 hex>} for dockerd's user networks. */
    private static String bridgeOf(ComposeRun run, ComposeRun.Engine engine, String networkId) {
        return (engine == ComposeRun.Engine.JCOMPOSED ? HostView.names(run).bridge(networkId) : "br-" + networkId.substring(0, 12)) + ":";
    }
}
