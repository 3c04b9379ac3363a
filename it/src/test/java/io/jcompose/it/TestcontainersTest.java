package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.testcontainers.RedisWithTestcontainersMain;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.Jcomposed;
import io.jcompose.runtime.engine.RealEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Testcontainers for Java (2.x, from Maven Central; a client we did not write) drives jcomposed as
 * if it were Docker: {@code DOCKER_HOST=unix://<our private engine's socket>}, a
 * {@code GenericContainer} of the fixture registry's {@code redis:7.0} (through the engine's
 * mirror), {@code Wait.forLogMessage}, a mapped port answering a real RESP {@code PING}.
 *
 * <p>Ryuk is disabled ({@code TESTCONTAINERS_RYUK_DISABLED=true}): its image
 * {@code testcontainers/ryuk} cannot be pulled offline. Cleanup is then Testcontainers' own stop
 * and its JVM shutdown hook; afterwards nothing of the run may remain in the engine or on the host.
 * The client runs in a forked JVM so that its environment, its settings and its
 * {@code user.home} (Testcontainers writes {@code ~/.testcontainers.properties}) are a temp dir's,
 * never the real home, and so that it can never pick {@code /var/run/docker.sock}.
 */
@Tag("root")
@Tag("registry")
class TestcontainersTest {

    @TempDir Path dir;

    Jcomposed daemon;
    Path runRoot;

    @AfterEach
    void stop() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            if (runRoot != null && Files.exists(runRoot)) {
                try (Stream<Path> s = Files.walk(runRoot)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Test
    void genericRedisContainerWithLogWaitAndMappedPortAnswersPing() throws Exception {
        runAndCheck("stop");
    }

    @Test
    void aContainerLeftRunningIsRemovedByTheShutdownHookCleanup() throws Exception {
        runAndCheck("exit"); // Ryuk disabled: JVMHookResourceReaper removes it (kill, rm -f -v, label-filtered prunes)
    }

    private void runAndCheck(String mode) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: namespaces, cgroups, bridges");
        Assumptions.assumeTrue(ComposeRun.registryAnswers(), "the fixture registry does not answer on " + ComposeRun.MIRROR + ": run fixtures/registry up");
        runRoot = Files.createDirectory(Path.of("/tmp/jt" + HexFormat.of().toHexDigits(System.nanoTime()).substring(10)));
        Path socket = runRoot.resolve("jc.sock");
        daemon = Jcomposed.start(DaemonConfig.parse("{\"registry-mirrors\": [\"" + ComposeRun.MIRROR + "\"]}", "test config")
                .withDataRoot(dir.resolve("root")).withExecRoot(runRoot).withHosts(List.of("unix://" + socket)), RealEngine.FACTORY);
        EngineClient engine = new EngineClient(new DockerHost.Unix(socket));

        String bridgeGateway = engine.inspectNetwork("bridge").ipam().config().getFirst().gateway();
        // in a container Testcontainers connects to that gateway: it must be our own bridge's, on this host
        assertThat(java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(bridgeGateway)))
                .as("the bridge gateway " + bridgeGateway + " is a local address").isNotNull();
        Path home = Files.createDirectories(dir.resolve("home"));
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
                RedisWithTestcontainersMain.class.getName(), "redis:7.0", mode)
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DOCKER_") || k.startsWith("TESTCONTAINERS_"));
        env.put("HOME", home.toString());
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("TESTCONTAINERS_RYUK_DISABLED", "true"); // testcontainers/ryuk cannot be pulled offline
        Process client = pb.start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = client.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            client.destroyForcibly();
        }
        Map<String, String> said = lines(out);
        System.out.println(said); // the client's report, for the build log
        // its cleanup (kill, rm -f -v, then label-filtered prunes of networks, volumes, images) met no
        // error; only what it logged once the container ran counts (at start it warns that Ryuk is off)
        int started = Math.max(0, out.indexOf("\nCONTAINER "));
        List<String> cleanupTrouble = out.substring(started).lines()
                .filter(l -> l.contains("ResourceReaper") && (l.contains(" WARN ") || l.contains(" ERROR ")))
                .toList();
        assertThat(cleanupTrouble).as("Testcontainers' cleanup complained").isEmpty();
        assertThat(exited && client.exitValue() == 0).as("Testcontainers run:\n" + out).isTrue();
        assertThat(said.get("DOCKER_HOST")).as("never /var/run/docker.sock").isEqualTo("unix://" + socket);
        assertThat(said.get("SERVER_VERSION")).contains("jcompose");
        assertThat(said.get("API_VERSION")).isEqualTo("1.44");
        // Testcontainers' host for mapped ports: localhost, or, when its JVM runs in a container
        // (/.dockerenv, as on our CI machines), the gateway of GET /networks/bridge
        assertThat(said.get("HOST")).isEqualTo(Files.exists(Path.of("/.dockerenv")) ? bridgeGateway : "localhost");
        assertThat(Integer.parseInt(said.get("MAPPED_PORT"))).isPositive().isNotEqualTo(6379);
        assertThat(said.get("PING")).as("RESP answer over TCP to the mapped port").isEqualTo("+PONG");
        assertThat(said.get("LOGS")).isEqualTo("true");
        assertThat(said.containsKey("STOPPED")).isEqualTo(mode.equals("stop"));

        String id = said.get("CONTAINER");
        assertThat(engine.listContainers(true, Filters.NONE)).as("containers left in the engine").isEmpty();
        assertThat(engine.listNetworks(Filters.NONE)).as("networks left").allMatch(n -> List.of("bridge", "host", "none").contains(n.name()));
        assertThat(engine.listVolumes(Filters.NONE)).as("volumes left").isEmpty();
        assertThat(Path.of("/run/netns/jc-" + id)).as("netns of the container").doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("mounts of the container").doesNotContain(id);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(id)).orElse(false))
                .toList()).as("processes of the container").isEmpty();
    }

    /** {@code KEY value} lines of the forked client. */
    static Map<String, String> lines(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line.strip() : line.substring(0, sp);
            if (key.matches("[A-Z_]+")) {
                m.put(key, sp < 0 ? "" : line.substring(sp + 1).strip());
            }
        }
        return m;
    }
}
