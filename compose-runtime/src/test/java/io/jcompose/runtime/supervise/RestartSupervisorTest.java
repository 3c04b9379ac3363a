package io.jcompose.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.container.ContainerException;
import io.jcompose.runtime.container.ContainerState;
import io.jcompose.runtime.container.ExitStatus;
import io.jcompose.runtime.container.RestartPolicy;
import io.jcompose.runtime.state.ObjectLocks;
import io.jcompose.runtime.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart decisions, backoff and persistence over a fake runtime and clock (SupervisionRootTest proves it on real containers). */
class RestartSupervisorTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String A = "a".repeat(64), B = "b".repeat(64), C = "c".repeat(64), D = "d".repeat(64), E = "e".repeat(64);

    /** Containers whose exits the test triggers; the supervisor's starts are counted. */
    static final class FakeRuntime implements SupervisedRuntime {
        final FakeTiming timing;
        final Map<String, BlockingQueue<ExitStatus>> exits = new ConcurrentHashMap<>();
        final Map<String, ContainerState> states = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        /** The containers' locks, taken by start as the daemon's start path takes them. */
        final ObjectLocks locks = new ObjectLocks();
        /** When set, start signals {@code entered} and waits for this gate. */
        volatile CountDownLatch startGate;
        final CountDownLatch startEntered = new CountDownLatch(1);

        FakeRuntime(FakeTiming timing) {
            this.timing = timing;
        }

        /** The container was removed: the engine no longer knows it. */
        void gone(String id) {
            states.remove(id);
        }

        void running(String id) {
            states.put(id, new ContainerState(ContainerState.Status.RUNNING, 42, 0, false, "", timing.now(), null));
        }

        void exited(String id, int code) {
            states.put(id, new ContainerState(ContainerState.Status.EXITED, 0, code, false, "", T0, T0.plusSeconds(1)));
        }

        /** The container's process ends with {@code code}. */
        void exit(String id, int code) {
            ContainerState s = states.get(id);
            exited(id, code);
            queue(id).add(new ExitStatus(code, 0, false, s.startedAt().plusSeconds(1)));
        }

        int starts(String id) {
            return starts.computeIfAbsent(id, k -> new AtomicInteger()).get();
        }

        BlockingQueue<ExitStatus> queue(String id) {
            return exits.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
        }

        @Override
        public ExitStatus awaitExit(String id) throws InterruptedException {
            return queue(id).take();
        }

        @Override
        public void start(String id) throws IOException {
            try (var held = locks.hold(id)) {
                if (!states.containsKey(id)) throw new ContainerException.NotFound(id);
                CountDownLatch gate = startGate;
                if (gate != null) {
                    startEntered.countDown();
                    gate.await();
                }
                starts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                running(id);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public ContainerState state(String id) throws IOException {
            ContainerState s = states.get(id);
            if (s == null) throw new ContainerException.NotFound(id);
            return s;
        }
    }

    @TempDir
    Path tmp;
    FakeTiming timing;
    FakeRuntime runtime;
    StateStore store;
    RecordingRestartListener events;
    RestartSupervisor supervisor;

    @BeforeEach
    void setUp() {
        timing = new FakeTiming(T0);
        runtime = new FakeRuntime(timing);
        store = new StateStore(tmp.resolve("state"));
        events = new RecordingRestartListener();
        supervisor = new RestartSupervisor(runtime, store, events, timing, runtime.locks);
    }

    @AfterEach
    void tearDown() {
        supervisor.close();
    }

    void startByApi(String id, RestartPolicy policy) {
        supervisor.register(id, policy);
        runtime.running(id);
        supervisor.started(id);
    }

    @Test
    void onFailureRestartsUpToItsCountWithDoublingDelays() {
        startByApi(A, new RestartPolicy.OnFailure(2));
        runtime.exit(A, 1);
        await().until(() -> runtime.starts(A) == 1 && events.seen.size() == 2);
        runtime.exit(A, 1);
        await().until(() -> runtime.starts(A) == 2 && events.seen.size() == 4);
        runtime.exit(A, 1);
        await().until(() -> events.seen.size() == 5);
        assertThat(events.seen).containsExactly("die 1 restarting", "restart 1", "die 1 restarting", "restart 2", "die 1");
        assertThat(timing.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(supervisor.record(A)).isEqualTo(new RestartRecord("on-failure:2", 2, false, true));
        assertThat(supervisor.restarting(A)).isFalse();
        assertThat(supervisor.watching(A)).isFalse();
    }

    @Test
    void onFailureDoesNotRestartASuccess() {
        startByApi(A, new RestartPolicy.OnFailure(0));
        runtime.exit(A, 0);
        await().until(() -> events.seen.size() == 1);
        assertThat(events.seen).containsExactly("die 0");
        assertThat(runtime.starts(A)).isZero();
    }

    @Test
    void alwaysRestartsAfterExitZeroAndAManualStartResetsTheCount() {
        startByApi(A, new RestartPolicy.Always());
        runtime.exit(A, 0);
        await().until(() -> runtime.starts(A) == 1);
        assertThat(supervisor.record(A).restartCount()).isEqualTo(1);
        supervisor.stopping(A);
        runtime.exit(A, 143);
        await().until(() -> events.seen.contains("die 143"));
        assertThat(runtime.starts(A)).as("manual stop: no restart").isEqualTo(1);
        assertThat(supervisor.record(A).manuallyStopped()).isTrue();
        runtime.running(A);
        supervisor.started(A);
        assertThat(supervisor.record(A)).isEqualTo(new RestartRecord("always", 0, false, true));
    }

    @Test
    void killBySigkillOrStopSignalCancelsOtherSignalsOnlyStopUnlessStopped() {
        startByApi(A, new RestartPolicy.Always());
        supervisor.killing(A, 10, 15);
        runtime.exit(A, 138);
        await().until(() -> runtime.starts(A) == 1);

        startByApi(B, new RestartPolicy.UnlessStopped());
        supervisor.killing(B, 10, 15);
        runtime.exit(B, 138);
        await().until(() -> events.seen.contains("die 138") && !supervisor.watching(B));
        assertThat(runtime.starts(B)).isZero();

        startByApi(C, new RestartPolicy.Always());
        supervisor.killing(C, 9, 15);
        runtime.exit(C, 137);
        await().until(() -> events.seen.contains("die 137"));
        assertThat(runtime.starts(C)).isZero();
    }

    @Test
    void anExitNotYetJudgedIsPendingAndAStopThenCancelsItsRestart() {
        startByApi(A, new RestartPolicy.Always());
        assertThat(supervisor.exitPending(A)).as("watched while running").isTrue();
        runtime.exited(A, 3); // the engine already shows the exit; the watcher has not seen it yet
        supervisor.stopping(A); // what the API's stop does for a pending exit
        assertThat(supervisor.exitPending(A)).isFalse();
        runtime.queue(A).add(new ExitStatus(3, 0, false, T0.plusSeconds(1)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> runtime.starts(A) == 0);
        assertThat(supervisor.restarting(A)).isFalse();
    }

    @Test
    void aStopDuringTheDelayCancelsTheRestart() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        Timing blocking = new Timing() {
            @Override
            public Instant now() {
                return T0;
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                sleeping.countDown();
                new CountDownLatch(1).await();
            }
        };
        supervisor.close();
        supervisor = new RestartSupervisor(runtime, store, events, blocking, runtime.locks);
        startByApi(A, new RestartPolicy.Always());
        runtime.exit(A, 0);
        sleeping.await();
        assertThat(supervisor.restarting(A)).isTrue();
        supervisor.stopping(A);
        await().until(() -> !supervisor.restarting(A));
        assertThat(runtime.starts(A)).isZero();
    }

    @Test
    void aStopWhileTheRestartIsStartingWaitsForItAndTheNewRunStaysWatched() throws Exception {
        runtime.startGate = new CountDownLatch(1);
        startByApi(A, new RestartPolicy.Always());
        runtime.exit(A, 1);
        runtime.startEntered.await();
        Thread stop = Thread.ofVirtual().start(() -> supervisor.stopping(A));
        // the restart holds the container's lock while it starts: the stop decides after it
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(stop::isAlive);
        runtime.startGate.countDown();
        stop.join(Duration.ofSeconds(5));
        assertThat(stop.isAlive()).isFalse();
        assertThat(runtime.starts(A)).isEqualTo(1);
        // the run the restart started is still watched: its exit is reported, and not restarted (manual stop)
        runtime.exit(A, 143);
        await().until(() -> events.seen.contains("die 143"));
        assertThat(events.seen).containsExactly("die 1 restarting", "restart 1", "die 143");
        assertThat(runtime.starts(A)).isEqualTo(1);
        assertThat(supervisor.watching(A)).isFalse();
    }

    @Test
    void aRemoveAsTheBackoffEndsCancelsTheRestartWithoutAFailedStart() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1), wake = new CountDownLatch(1);
        Timing wakesLate = new Timing() {
            @Override
            public Instant now() {
                return T0;
            }

            @Override
            public void sleep(Duration d) {
                sleeping.countDown();
                while (true) { // the delay is over just as the remove comes: an interrupt is too late
                    try {
                        wake.await();
                        return;
                    } catch (InterruptedException ignored) {
                        // keep sleeping
                    }
                }
            }
        };
        supervisor.close();
        supervisor = new RestartSupervisor(runtime, store, events, wakesLate, runtime.locks);
        startByApi(A, new RestartPolicy.Always());
        runtime.exit(A, 1);
        sleeping.await();
        // the daemon's rm -f: under the container's lock, the supervisor first, then the engine forgets it
        try (var held = runtime.locks.hold(A)) {
            wake.countDown();
            Thread.sleep(100); // lets the watcher reach the lock
            supervisor.removed(A);
            runtime.gone(A);
        }
        await().during(Duration.ofMillis(300)).until(() -> !supervisor.watching(A));
        assertThat(events.seen).containsExactly("die 1 restarting");
        assertThat(runtime.starts(A)).isZero();
        assertThat(store.get(RestartSupervisor.KIND, A, RestartRecord.class)).isEmpty();
    }

    @Test
    void noRestartsAfterShutdown() {
        startByApi(A, new RestartPolicy.Always());
        supervisor.close();
        runtime.exit(A, 1);
        await().during(Duration.ofMillis(200)).until(() -> runtime.starts(A) == 0);
    }

    @Test
    void daemonStartRestartsByPolicyAndLastExit() {
        store.put(RestartSupervisor.KIND, A, new RestartRecord("always", 3, true, true));
        runtime.exited(A, 143);
        store.put(RestartSupervisor.KIND, B, new RestartRecord("unless-stopped", 0, true, true));
        runtime.exited(B, 143);
        store.put(RestartSupervisor.KIND, C, new RestartRecord("on-failure:5", 1, false, true));
        runtime.exited(C, 2);
        store.put(RestartSupervisor.KIND, D, new RestartRecord("always", 0, false, false));
        runtime.exited(D, 0);
        store.put(RestartSupervisor.KIND, E, new RestartRecord("unless-stopped", 0, false, true));
        runtime.running(E);
        store.put(RestartSupervisor.KIND, "f".repeat(64), new RestartRecord("always", 0, false, true));

        assertThat(supervisor.resume()).containsExactlyInAnyOrder(A, C);
        assertThat(supervisor.record(A)).as("started like a new start").isEqualTo(new RestartRecord("always", 0, false, true));
        assertThat(supervisor.record(C).restartCount()).isZero();
        assertThat(runtime.starts(B)).isZero();
        assertThat(runtime.starts(D)).as("never started before").isZero();
        assertThat(supervisor.watching(E)).as("running: watched again").isTrue();
        assertThat(store.get(RestartSupervisor.KIND, "f".repeat(64), RestartRecord.class)).as("gone container").isEmpty();

        runtime.exit(E, 0);
        await().until(() -> runtime.starts(E) == 1);
    }

    @Test
    void recordsAreFilesThatSurviveANewSupervisor() throws IOException {
        supervisor.register(A, new RestartPolicy.OnFailure(0));
        assertThat(Files.readString(tmp.resolve("state/restart/" + A + ".json"))).contains("on-failure");
        var again = new RestartSupervisor(runtime, new StateStore(tmp.resolve("state")), events, timing);
        assertThat(again.record(A).restartPolicy()).isEqualTo(new RestartPolicy.OnFailure(0));
        supervisor.removed(A);
        assertThat(supervisor.record(A).policy()).as("forgotten at once").isEqualTo("no");
        store.flush(); // the deletion is write-behind (a record without its container is dropped at start anyway)
        assertThat(again.record(A).policy()).isEqualTo("no");
    }
}
