package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kill -9} of jcomposed while {@code jcompose up} of a multi-service project is under way:
 * after the daemon restarts, every container whose creation it had announced (event
 * {@code create}) is still there, those it had started still run (the shims outlive the daemon),
 * every state record under the data root parses, and a second {@code up} converges to one
 * running container per service.
 */
@Tag("root")
@Tag("registry")
class DaemonCrashTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> SERVICES = List.of("gate", "a", "b", "c", "d", "e", "f", "g");

    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    @Test
    void killDuringUpLosesNothingAndASecondUpConverges() throws Exception {
        // gate turns healthy after ~2 s; d..g wait for that, so `up` is surely still working when
        // the daemon dies, with a..c and gate already created in parallel.
        StringBuilder yaml = new StringBuilder("""
                services:
                  gate:
                    image: busybox:latest
                    command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 3600"]
                    init: true
                    healthcheck:
                      test: ["CMD", "test", "-e", "/tmp/ready"]
                      interval: 1s
                      retries: 30
                """);
        for (String s : SERVICES.subList(1, SERVICES.size())) {
            yaml.append("""
                      %s:
                        image: busybox:latest
                        command: ["sleep", "3600"]
                        init: true
                    """.formatted(s));
            if (s.compareTo("d") >= 0) {
                yaml.append("    depends_on: {gate: {condition: service_healthy}}\n");
            }
        }
        Path composeFile = compose.project("crash", yaml.toString());
        run = compose.prepare(composeFile);
        ComposeRun.Result start = run.jcomposeBare("engine", "start");
        assertThat(start.code()).as(start.err()).isZero();
        long pid = run.daemonPid();
        assertThat(pid).isPositive();
        EngineClient api = new EngineClient(new DockerHost.Unix(run.socket()));
        ComposeRun.pull(api, "busybox", "latest"); // the kill should hit container work, not a pull

        // What the daemon reported done before it died: a container whose create (or start) the
        // daemon announced is one it owes the client; one still being created may go.
        Set<String> created = ConcurrentHashMap.newKeySet();
        Set<String> started = ConcurrentHashMap.newKeySet();
        JsonLines<EventMessage> events = api.events(null, null, Filters.of("type", "container"));
        Thread listener = Thread.ofVirtual().start(() -> {
            try {
                for (EventMessage e = events.next(); e != null; e = events.next()) {
                    switch (e.action()) {
                        case "create" -> created.add(e.actor().id());
                        case "start" -> started.add(e.actor().id());
                        default -> { }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the daemon died: the stream breaks
            }
        });

        CompletableFuture<ComposeRun.Result> up = CompletableFuture.supplyAsync(() -> run.jcompose("up", "-d"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (started.size() < 3 && System.nanoTime() < deadline && !up.isDone()) {
            Thread.sleep(20);
        }
        assertThat(up.isDone()).as("up still working when the daemon is killed").isFalse();
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        daemon.destroyForcibly(); // SIGKILL
        daemon.onExit().get(10, TimeUnit.SECONDS);
        listener.join(Duration.ofSeconds(10));
        events.close();
        Set<String> createdAtKill = Set.copyOf(created);
        Set<String> startedAtKill = Set.copyOf(started);
        assertThat(startedAtKill).hasSizeGreaterThanOrEqualTo(3);
        ComposeRun.Result interrupted = up.get(60, TimeUnit.SECONDS);
        assertThat(interrupted.code()).as("up whose daemon died fails").isNotZero();

        ComposeRun.Result restart = run.jcomposeBare("engine", "start");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(run.daemonPid()).isNotEqualTo(pid);
        Map<String, ContainerSummary> afterRestart = api.listContainers(true, Filters.NONE).stream()
                .collect(Collectors.toMap(ContainerSummary::id, c -> c));
        assertThat(afterRestart.keySet()).as("containers created before the kill survived it").containsAll(createdAtKill);
        for (String id : startedAtKill) {
            assertThat(afterRestart.get(id).state()).as(afterRestart.get(id).names() + " still runs").isEqualTo("running");
        }
        assertThat(stateRecordsThatDoNotParse(run.dataRoot())).as("corrupt records").isEmpty();

        ComposeRun.Result again = run.jcompose("up", "-d");
        assertThat(again.code()).as("second up: " + again.err()).isZero();
        List<ContainerSummary> all = api.listContainers(true, Filters.NONE);
        assertThat(all).extracting(c -> c.labels().get("com.docker.compose.service"))
                .as("one container per service").containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(all).as("all running").allMatch(c -> c.state().equals("running"));
        assertThat(all).extracting(ContainerSummary::id).as("running containers are kept, not recreated").containsAll(startedAtKill);
        assertThat(stateRecordsThatDoNotParse(run.dataRoot())).isEmpty();
    }

    /** Every JSON file the daemon keeps under the data root (state store, container specs, shim state) that does not parse. */
    private static List<String> stateRecordsThatDoNotParse(Path dataRoot) throws IOException {
        try (Stream<Path> all = Files.walk(dataRoot)) {
            List<Path> records = all.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p))
                    .filter(p -> !p.toString().contains("/overlay/") && !p.toString().contains("/blobs/") && !p.toString().contains("/rootfs/"))
                    .toList();
            assertThat(records).as("records found under " + dataRoot).isNotEmpty();
            return records.stream().filter(p -> {
                try {
                    JSON.readTree(Files.readString(p));
                    return false;
                } catch (IOException | RuntimeException e) {
                    return true;
                }
            }).map(p -> dataRoot.relativize(p) + "").toList();
        }
    }
}
