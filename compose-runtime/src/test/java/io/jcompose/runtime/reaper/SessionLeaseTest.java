package io.jcompose.runtime.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.SessionLease;
import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.model.SessionReapReport;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.Jcomposed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases against a real in-process jcomposed (no root: its volumes are plain directories, and
 * volumes carry the session label like containers and networks do). The crash case kills a real
 * holder process with {@code kill -9}. Containers and networks: {@code SessionReaperRootTest}.
 */
class SessionLeaseTest {

    static final Duration KEEP = Duration.ofMillis(500);

    @TempDir Path dir;

    Jcomposed daemon;
    EngineClient client;
    Path socket;
    final List<Process> holders = new ArrayList<>();

    void start(Duration defaultKeepAlive) throws Exception {
        socket = dir.resolve("jc.sock");
        daemon = Jcomposed.start(DaemonConfig.defaults().withDataRoot(dir.resolve("root")).withHosts(List.of("unix://" + socket))
                .withSessionKeepAlive(Sessions.KeepAlive.of(defaultKeepAlive)));
        client = new EngineClient(DockerHost.parse("unix://" + socket));
    }

    @AfterEach
    void stop() {
        holders.forEach(Process::destroyForcibly);
        if (daemon != null) {
            daemon.close();
        }
    }

    Volume volume(String name, String session) {
        return client.createVolume(new VolumeCreateRequest(name, null, null, session == null ? Map.of() : Map.of(Sessions.LABEL, session)));
    }

    List<String> volumes() {
        return client.listVolumes(Filters.NONE).stream().map(Volume::name).sorted().toList();
    }

    @Test
    void aHeldSessionIsKeptAndAKilledHolderIsReapedAfterItsKeepAliveOnlyItsOwn() throws Exception {
        start(Duration.ofSeconds(30));
        Process a = LeaseHolderMain.start(socket, "sess-a", KEEP);
        holders.add(a);
        Process b = LeaseHolderMain.start(socket, "sess-b", KEEP);
        holders.add(b);
        Volume va = volume("va", "sess-a");
        volume("vb", "sess-b");
        volume("plain", null);
        volume("other", "sess-nobody-yet"); // unheld: the sweep gives it the daemon default (30 s)

        Thread.sleep(KEEP.toMillis() * 3);
        assertThat(volumes()).as("held sessions are kept past their keep-alive").containsExactly("other", "plain", "va", "vb");

        long since = System.currentTimeMillis() / 1000 - 1;
        a.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no orderly end
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !volumes().contains("va"));
        long took = (System.nanoTime() - killed) / 1_000_000;
        assertThat(took).as("reaped no earlier than the keep-alive (ms)").isGreaterThanOrEqualTo(KEEP.toMillis() - 50);
        assertThat(volumes()).containsExactly("other", "plain", "vb");
        assertThat(Files.exists(Path.of(va.mountpoint()))).as("volume directory removed").isFalse();

        // the removal emitted Docker's event, as docker volume rm does
        try (var events = client.events(Long.toString(since), Long.toString(System.currentTimeMillis() / 1000 + 1),
                Filters.of("type", "volume", "event", "destroy"))) {
            List<String> destroyed = new ArrayList<>();
            for (EventMessage e; (e = events.next()) != null; ) {
                destroyed.add(e.actor().id());
            }
            assertThat(destroyed).containsExactly("va");
        }
    }

    @Test
    void anOrderlyEndReapsAtOnceAndReportsWhatWasRemoved() throws Exception {
        start(Duration.ofSeconds(30));
        SessionReapReport report;
        try (SessionLease lease = SessionLease.open(socket, "orderly", Duration.ofSeconds(30))) {
            assertThat(lease.keepAlive()).isEqualTo("30s");
            assertThat(lease.held()).isTrue();
            client.createVolume(new VolumeCreateRequest("mine", null, null, lease.label()));
            volume("kept", null);
            report = lease.end();
        }
        assertThat(report.reaped()).isTrue();
        assertThat(report.volumes()).containsExactly("mine");
        assertThat(report.errors()).isEmpty();
        assertThat(volumes()).containsExactly("kept");
    }

    @Test
    void twoLeasesOnOneSessionReapOnlyWhenTheLastEnds() throws Exception {
        start(Duration.ofSeconds(30));
        SessionLease first = SessionLease.open(socket, "shared", Duration.ofSeconds(30));
        SessionLease second = SessionLease.open(socket, "shared", Duration.ofSeconds(30));
        volume("shared-vol", "shared");
        assertThat(first.end().reaped()).as("another lease still holds the session").isFalse();
        assertThat(volumes()).containsExactly("shared-vol");
        assertThat(second.end().volumes()).containsExactly("shared-vol");
        assertThat(volumes()).isEmpty();
    }

    @Test
    void keepAliveForeverKeepsTheObjectsOfALostClient() throws Exception {
        start(Duration.ofMillis(300));
        SessionLease lease = SessionLease.open(new DockerHost.Unix(socket), "debug", Sessions.KeepAlive.FOREVER);
        assertThat(lease.keepAlive()).isEqualTo("forever");
        volume("debug-vol", "debug");
        assertThat(lease.end().reaped()).isFalse();
        Thread.sleep(1500); // several sweeps and keep-alives
        assertThat(volumes()).containsExactly("debug-vol");
    }

    @Test
    void afterADaemonRestartUnheldSessionsAreReapedOneKeepAliveAfterTheStart() throws Exception {
        start(Duration.ofSeconds(30));
        SessionLease held = SessionLease.open(socket, "survivor", Duration.ofSeconds(2));
        volume("orphan", "gone-client");
        volume("survivor-vol", "survivor");
        daemon.close();

        Duration keep = Duration.ofSeconds(1);
        long started = System.nanoTime();
        start(keep);
        // the holder reconnects by itself; the orphan goes once the keep-alive has passed since the restart
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !volumes().contains("orphan"));
        long took = (System.nanoTime() - started) / 1_000_000;
        assertThat(took).as("not before the keep-alive since the restart (ms)").isGreaterThanOrEqualTo(keep.toMillis() - 50);
        await().atMost(Duration.ofSeconds(5)).until(held::held);
        Thread.sleep(2500); // longer than the survivor's keep-alive
        assertThat(volumes()).as("the reconnected lease keeps its session").containsExactly("survivor-vol");
        assertThat(held.end().volumes()).containsExactly("survivor-vol");
    }

    @Test
    void badSessionIdsAndKeepAlivesAreRefused() throws Exception {
        start(Duration.ofSeconds(30));
        assertThatThrownBy(() -> SessionLease.open(socket, "../x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid session id");
        var raw = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        raw.connect(java.net.UnixDomainSocketAddress.of(socket));
        try (raw) {
            raw.write(java.nio.ByteBuffer.wrap("POST /jcompose/sessions/s1?keepalive=soon HTTP/1.1\r\nHost: x\r\nUpgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String answer = new String(java.nio.channels.Channels.newInputStream(raw).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("invalid keep-alive \\\"soon\\\"");
        }
    }

    @Test
    void keepAliveTextForms() {
        assertThat(Sessions.KeepAlive.parse("10s").duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Sessions.KeepAlive.parse("1m30s").duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Sessions.KeepAlive.parse("250ms").toString()).isEqualTo("250ms");
        assertThat(Sessions.KeepAlive.parse("1.5s").toString()).isEqualTo("1.5s");
        assertThat(Sessions.KeepAlive.parse("forever").forever()).isTrue();
        assertThatThrownBy(() -> Sessions.KeepAlive.parse("10")).hasMessageContaining("use a duration such as 10s");
        assertThat(DaemonConfig.parse("{\"session-keepalive\": \"3s\"}", "f").sessionKeepAlive().duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(DaemonConfig.defaults().sessionKeepAlive().duration()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> DaemonConfig.parse("{\"session-keepalive\": \"x\"}", "f")).hasMessageStartingWith("f: invalid keep-alive");
    }

    @Test
    void theKeepEnvironmentSwitchMeansForever() {
        assertThat(SessionLease.keepForever(Map.of(SessionLease.KEEP_ENV, "1"))).isTrue();
        assertThat(SessionLease.keepForever(Map.of())).isFalse();
        assertThatThrownBy(() -> SessionLease.open(dir.resolve("none.sock"), "x", null)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("cannot take a lease on session x");
    }
}
