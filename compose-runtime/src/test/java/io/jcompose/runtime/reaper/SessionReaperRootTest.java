package io.jcompose.runtime.reaper;

import io.jcompose.runtime.sys.HostNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.HostConfig;
import io.jcompose.runtime.api.model.MountPoint;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.Jcomposed;
import io.jcompose.runtime.engine.RealEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reaper on the real engine: busybox containers (with a named and an anonymous volume, on a
 * labelled network) of a session whose holder process is killed with {@code kill -9} are gone —
 * from the API and from the host (no process, netns, veth, bridge, mount, volume directory) —
 * within keep-alive + margin; other sessions' and unlabelled objects stay; after a daemon restart
 * an unheld session goes one keep-alive after the start.
 */
@Tag("root")
@Tag("registry")
class SessionReaperRootTest {

    static final String MIRROR = "http://127.0.0.1:5000";
    static final Duration KEEP = Duration.ofSeconds(2);
    /** The documented bound is keep-alive + 5 s; more here for a loaded 2-core CI machine. */
    static final Duration MARGIN = Duration.ofSeconds(20);

    static Path dir;
    static Path runRoot;
    static Path socket;
    static Jcomposed daemon;
    static EngineClient client;

    final List<Process> holders = new ArrayList<>();
    final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startDaemon() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, mounts, bridges)");
        Assumptions.assumeTrue(registryAnswers(), "the fixture registry does not answer on " + MIRROR + ": run fixtures/registry up");
        dir = Files.createTempDirectory("jc-reaper");
        runRoot = Path.of("/run/jcr-" + UUID.randomUUID().toString().substring(0, 8)); // shim sockets need a short path
        socket = dir.resolve("jc.sock");
        daemon = startJcomposed();
        client = new EngineClient(new DockerHost.Unix(socket));
        try (var pull = client.pullImage("busybox", "latest", null, null)) {
            for (ProgressMessage m; (m = pull.next()) != null; ) {
                assertThat(m.error()).as("pull busybox").isNull();
            }
        }
    }

    static Jcomposed startJcomposed() throws IOException {
        DaemonConfig config = DaemonConfig.parse("{\"registry-mirrors\": [\"" + MIRROR + "\"]}", "test config")
                .withDataRoot(dir.resolve("root"))
                .withExecRoot(runRoot)
                .withHosts(List.of("unix://" + socket))
                .withSessionKeepAlive(Sessions.KeepAlive.of(KEEP));
        return Jcomposed.start(config, RealEngine.FACTORY);
    }

    @AfterEach
    void killHoldersAndRemoveLeftovers() {
        holders.forEach(Process::destroyForcibly);
        if (client != null && daemon != null) {
            // the reaper may be removing the same objects: a 404 or a still-attached network is fine here
            for (var c : client.listContainers(true, Filters.NONE)) {
                quietly(() -> client.removeContainer(c.id(), true, true));
            }
            for (var n : client.listNetworks(Filters.of("label", Sessions.LABEL))) {
                quietly(() -> client.removeNetwork(n.id()));
            }
            for (var v : client.listVolumes(Filters.NONE)) {
                quietly(() -> client.removeVolume(v.name(), true));
            }
        }
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
                assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("mounts under the data root").doesNotContain(dir.toString());
            }
        } finally {
            deleteTree(runRoot);
            deleteTree(dir);
        }
    }

    /** A running busybox of a session (null: unlabelled), on {@code network} (null: bridge), with a named and an anonymous volume. */
    String container(String name, String session, String network, String volume) {
        Map<String, String> labels = session == null ? Map.of() : Map.of(Sessions.LABEL, session);
        ContainerConfig config = Json.mapper().convertValue(Map.of(
                "Image", "busybox", "Cmd", List.of("sleep", "3600"), "Labels", labels, "Volumes", Map.of("/anon", Map.of())), ContainerConfig.class);
        Map<String, Object> host = new java.util.HashMap<>();
        host.put("NetworkMode", network == null ? "bridge" : network);
        if (volume != null) {
            host.put("Binds", List.of(volume + ":/data"));
        }
        String id = client.createContainer(new ContainerCreateRequest(name, null, config, Json.mapper().convertValue(host, HostConfig.class), null))
                .id();
        client.startContainer(id);
        return id;
    }

    String network(String name, String session) {
        return client.createNetwork(Json.mapper().convertValue(Map.of("Name", name, "Labels", Map.of(Sessions.LABEL, session)),
                NetworkCreateRequest.class)).id();
    }

    boolean exists(String containerId) {
        try {
            client.inspectContainer(containerId);
            return true;
        } catch (EngineApiException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** What the host holds for one running container on one network. */
    record HostTraces(long pid, String netns, String veth, String bridge, List<String> volumeDirs, String id) {

        static HostTraces of(ContainerInspect c, String networkId) {
            List<String> dirs = c.mounts().stream().filter(m -> "volume".equals(m.type())).map(MountPoint::source).toList();
            HostNames names = HostNames.forDataRoot(dir.resolve("root"));
            return new HostTraces(c.state().pid(), "/run/netns/jc-" + c.id(), names.veth(networkId + "/" + c.id()),
                    names.bridge(networkId), dirs, c.id());
        }

        void assertPresent() throws IOException {
            assertThat(Path.of("/proc/" + pid)).as("container process").exists();
            assertThat(Path.of(netns)).as("netns").exists();
            assertThat(Path.of("/sys/class/net", veth)).as("host veth").exists();
            assertThat(Path.of("/sys/class/net", bridge)).as("bridge").exists();
            assertThat(volumeDirs).as("named + anonymous volume").hasSize(2).allSatisfy(d -> assertThat(Path.of(d)).exists());
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("rootfs mount").contains(id);
        }

        void assertGone() throws IOException {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("container process " + pid).isFalse();
            assertThat(shimsOf(id)).as("shim processes").isEmpty();
            assertThat(Path.of(netns)).as("netns").doesNotExist();
            assertThat(Path.of("/sys/class/net", veth)).as("host veth").doesNotExist();
            assertThat(Path.of("/sys/class/net", bridge)).as("bridge").doesNotExist();
            assertThat(volumeDirs).as("volume directories").allSatisfy(d -> assertThat(Path.of(d)).doesNotExist());
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("mounts").doesNotContain(id);
        }
    }

    @Test
    void aKilledHoldersObjectsAreReapedFromApiAndHostOthersStay() throws Exception {
        String a = "reap-a-" + run;
        String b = "reap-b-" + run;
        holders.add(LeaseHolderMain.start(socket, a, KEEP));
        Process holderA = holders.getFirst();
        holders.add(LeaseHolderMain.start(socket, b, KEEP));

        String netA = network("net-a-" + run, a);
        client.createVolume(new VolumeCreateRequest("vol-a-" + run, null, null, Map.of(Sessions.LABEL, a)));
        String ca = container("ca-" + run, a, "net-a-" + run, "vol-a-" + run);
        String cb = container("cb-" + run, b, null, null);
        String plain = container("plain-" + run, null, null, null);
        HostTraces traces = HostTraces.of(client.inspectContainer(ca), netA);
        traces.assertPresent();

        Thread.sleep(KEEP.toMillis() * 2);
        assertThat(exists(ca)).as("a held session is kept past its keep-alive").isTrue();

        long since = System.currentTimeMillis() / 1000 - 1;
        holderA.destroyForcibly().waitFor(); // kill -9
        long killed = System.nanoTime();
        await().atMost(KEEP.plus(MARGIN)).pollInterval(Duration.ofMillis(100)).until(() -> !exists(ca));
        long tookMs = (System.nanoTime() - killed) / 1_000_000;
        assertThat(tookMs).as("not before the keep-alive").isGreaterThanOrEqualTo(KEEP.toMillis() - 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.listNetworks(Filters.of("label", Sessions.LABEL + "=" + a)).isEmpty()
                && client.listVolumes(Filters.of("label", Sessions.LABEL + "=" + a)).isEmpty());
        assertThat(client.listVolumes(Filters.NONE)).as("the anonymous volume went with its container")
                .noneMatch(v -> traces.volumeDirs().stream().anyMatch(d -> d.contains(v.name())));
        traces.assertGone();
        // the removals emitted Docker's events, as docker rm -f / network rm / volume rm do
        List<String> events = new ArrayList<>();
        try (var stream = client.events(Long.toString(since), Long.toString(System.currentTimeMillis() / 1000 + 1), Filters.NONE)) {
            for (io.jcompose.runtime.api.model.EventMessage e; (e = stream.next()) != null; ) {
                events.add(e.type() + " " + e.action() + " " + e.actor().id());
            }
        }
        assertThat(events).contains("container destroy " + ca, "network destroy " + netA, "volume destroy vol-a-" + run);
        System.out.println("reaped " + a + " " + tookMs + " ms after kill -9 (keep-alive " + KEEP.toMillis() + " ms)");

        assertThat(client.inspectContainer(cb).state().running()).as("another live session's container").isTrue();
        assertThat(client.inspectContainer(plain).state().running()).as("an unlabelled container").isTrue();
    }

    @Test
    void afterADaemonRestartAnUnheldSessionIsReapedOneKeepAliveAfterTheStart() throws Exception {
        String c = "reap-c-" + run;
        Process holder = LeaseHolderMain.start(socket, c, KEEP); // held while we build, so the running daemon does not reap
        holders.add(holder);
        String netC = network("net-c-" + run, c);
        String cc = container("cc-" + run, c, "net-c-" + run, null);
        HostTraces traces = HostTraces.of(client.inspectContainer(cc), netC);

        daemon.close();
        daemon = null;
        holder.destroyForcibly().waitFor(); // the client dies while the daemon is down: nobody will reconnect
        long restarted = System.nanoTime();
        daemon = startJcomposed();
        assertThat(exists(cc)).as("right after the restart (keep-alive " + KEEP + " not yet passed)").isTrue();
        await().atMost(KEEP.plus(MARGIN)).pollInterval(Duration.ofMillis(100)).until(() -> !exists(cc));
        long tookMs = (System.nanoTime() - restarted) / 1_000_000;
        assertThat(tookMs).as("not before one keep-alive since the restart").isGreaterThanOrEqualTo(KEEP.toMillis() - 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.listNetworks(Filters.of("label", Sessions.LABEL + "=" + c)).isEmpty());
        traces.assertGone();
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (EngineApiException e) {
            System.out.println("cleanup: " + e.getMessage());
        }
    }

    static List<Long> shimsOf(String containerId) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(containerId)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }


    static boolean registryAnswers() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create(MIRROR + "/v2/")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
