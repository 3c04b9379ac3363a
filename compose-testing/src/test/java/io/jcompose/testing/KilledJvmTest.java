package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.cli.Main;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.sys.HostNames;
import io.jcompose.testing.support.PrivateEngine;
import io.jcompose.testing.support.RealEngine;
import io.jcompose.testing.support.StackHolderMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A test JVM killed with SIGKILL runs no shutdown hook: its stack must still go, removed by the
 * engine's reaper once the session lease's keep-alive (2 s here) has passed. Checked from the
 * host: no container, network or volume of the session is left, and the network's bridge is gone.
 */
@RealEngine
class KilledJvmTest {
    private static final Duration KEEPALIVE = Duration.ofSeconds(2);

    @Test
    void theReaperRemovesTheStackOfAKilledJvm() throws Exception {
        PrivateEngine engine = PrivateEngine.get();
        engine.start();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(engine.jvmArguments());
        cmd.add("-D" + ComposeSession.KEEPALIVE_PROPERTY + "=" + KEEPALIVE.toSeconds() + "s");
        cmd.add(StackHolderMain.class.getName());
        cmd.add(Path.of("src", "test", "compose", "redis").toString());
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String project = null;
        try {
            String[] up = readUpLine(child);
            project = up[1];
            Filters session = new Filters(Map.of("label", Set.of(ComposeSession.LABEL + "=" + up[2])));
            EngineClient client = engine.client();
            assertThat(client.listContainers(false, session)).as("the child's redis runs").hasSize(1);
            String networkId = client.listNetworks(session).getFirst().id();
            Path bridge = Path.of("/sys/class/net", HostNames.forDataRoot(engine.dataRoot()).bridge(networkId));
            assertThat(bridge).as("the project network's bridge").exists();

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);
            long killed = System.nanoTime();
            // the keep-alive is honoured: still there right after the kill (checked only while
            // the keep-alive has surely not passed, so a stalled test JVM cannot make this flaky)
            int stillThere = client.listContainers(true, session).size();
            if (Duration.ofNanos(System.nanoTime() - killed).compareTo(KEEPALIVE.dividedBy(2)) < 0) {
                assertThat(stillThere).as("reaped before its keep-alive had passed").isEqualTo(1);
            }

            // docs/reaper.md's bound: gone within keep-alive + 5 s; + 20 s here for a loaded CI machine
            await().atMost(KEEPALIVE.plusSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(client.listContainers(true, session)).isEmpty();
                assertThat(client.listNetworks(session)).isEmpty();
                assertThat(client.listVolumes(session)).isEmpty();
                assertThat(Files.exists(bridge)).isFalse();
            });
            System.out.printf("stack of the killed JVM reaped %d ms after SIGKILL (keep-alive %d s)%n",
                    (System.nanoTime() - killed) / 1_000_000, KEEPALIVE.toSeconds());
        } finally {
            child.destroyForcibly();
            if (project != null) {
                Main.run(System.out, System.err, engine.env(), "-p", project, "down", "-v", "-t", "0");
            }
        }
    }

    private static String[] readUpLine(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("UP ")) {
                return line.split(" ");
            }
        }
        throw new AssertionError("the child JVM ended before its stack was up (exit " + child.waitFor() + ")");
    }
}
