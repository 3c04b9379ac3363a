package io.jcompose.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.supervise.Health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The monitor's loop with a fake clock and a scripted probe (the real exec is proven in SupervisionRootTest). */
class HealthMonitorTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String ID = "c".repeat(64);

    /** Returns the scripted results, each taking {@code took} of fake time; then blocks until interrupted. */
    static final class ScriptedProbe implements ProbeRunner {
        final Deque<Result> script;
        final FakeTiming timing;
        final Duration took;
        final List<List<String>> commands = new CopyOnWriteArrayList<>();
        final List<Duration> timeouts = new CopyOnWriteArrayList<>();
        final CountDownLatch exhausted = new CountDownLatch(1);
        volatile boolean interrupted;

        ScriptedProbe(FakeTiming timing, Duration took, Result... results) {
            this.timing = timing;
            this.took = took;
            this.script = new ArrayDeque<>(List.of(results));
        }

        @Override
        public Result run(List<String> command, Duration timeout) throws InterruptedException {
            Result r;
            synchronized (this) {
                r = script.poll();
            }
            if (r == null) {
                exhausted.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    throw e;
                }
            }
            commands.add(command);
            timeouts.add(timeout);
            timing.advance(took);
            return r;
        }
    }

    static final class Recorder implements HealthListener {
        final List<Status> changes = new CopyOnWriteArrayList<>();
        final List<List<String>> probes = new CopyOnWriteArrayList<>();

        @Override
        public void statusChanged(String containerId, Status status) {
            assertThat(containerId).isEqualTo(ID);
            changes.add(status);
        }

        @Override
        public void probeStarting(String containerId, List<String> command) {
            probes.add(command);
        }
    }

    @Test
    void healthyThenUnhealthyWithEventsOnlyOnChange() throws Exception {
        var timing = new FakeTiming(T0);
        var probe = new ScriptedProbe(timing, Duration.ofMillis(100),
                new ProbeRunner.Result(0, "ok"), new ProbeRunner.Result(0, "ok"),
                new ProbeRunner.Result(1, "no"), new ProbeRunner.Result(1, "no"), new ProbeRunner.Result(1, "no"));
        var events = new Recorder();
        var check = new Healthcheck(List.of("CMD-SHELL", "probe"), Duration.ofSeconds(2), Duration.ofSeconds(1), null, null, 3);
        HealthMonitor m = HealthMonitor.start(ID, check, null, T0, null, probe, events, timing).orElseThrow();
        try {
            probe.exhausted.await();
            assertThat(events.changes).containsExactly(Status.HEALTHY, Status.UNHEALTHY);
            assertThat(events.probes).hasSize(6).allMatch(c -> c.equals(List.of("/bin/sh", "-c", "probe")));
            assertThat(probe.timeouts).containsOnly(Duration.ofSeconds(1));
            assertThat(timing.sleeps).as("first after one interval, then one interval after each probe ended")
                    .containsOnly(Duration.ofSeconds(2)).hasSize(6);
            Health h = m.health();
            assertThat(h.status()).isEqualTo(Status.UNHEALTHY);
            assertThat(h.failingStreak()).isEqualTo(3);
            assertThat(h.log()).extracting(HealthResult::exitCode).containsExactly(0, 0, 1, 1, 1);
            HealthResult first = h.log().getFirst();
            assertThat(first.start()).isEqualTo(T0.plusSeconds(2));
            assertThat(first.end()).isEqualTo(T0.plusMillis(2100));
            assertThat(h.log().get(1).start()).isEqualTo(T0.plusMillis(4100));
        } finally {
            m.close();
        }
        assertThat(probe.interrupted).as("close kills the running probe").isTrue();
        assertThat(m.health().status()).isEqualTo(Status.UNHEALTHY);
        assertThat(events.changes).as("no event for the stop").hasSize(2);
    }

    @Test
    void startIntervalDuringTheStartPeriodAndGraceForFailures() throws Exception {
        var timing = new FakeTiming(T0);
        var probe = new ScriptedProbe(timing, Duration.ZERO,
                new ProbeRunner.Result(1, ""), new ProbeRunner.Result(1, ""), new ProbeRunner.Result(1, ""));
        var events = new Recorder();
        var check = new Healthcheck(List.of("CMD", "probe"), Duration.ofSeconds(30), null, Duration.ofSeconds(10), Duration.ofSeconds(4), 1);
        HealthMonitor m = HealthMonitor.start(ID, check, null, T0, null, probe, events, timing).orElseThrow();
        try {
            probe.exhausted.await();
            // probes at 4 s and 8 s are within the start period (no count); the one at 12 s counts
            assertThat(timing.sleeps).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(30));
            assertThat(events.changes).containsExactly(Status.UNHEALTHY);
            assertThat(m.health().failingStreak()).isEqualTo(1);
        } finally {
            m.close();
        }
    }

    @Test
    void restartKeepsTheLogButStartsOver() throws Exception {
        var timing = new FakeTiming(T0);
        var old = new Health(Status.UNHEALTHY, 7, List.of(new HealthResult(T0, T0, 1, "old")));
        var probe = new ScriptedProbe(timing, Duration.ZERO);
        HealthMonitor m = HealthMonitor.start(ID, Healthcheck.shell("x"), null, T0, old, probe, new Recorder(), timing).orElseThrow();
        try {
            assertThat(m.health()).isEqualTo(new Health(Status.STARTING, 0, old.log()));
        } finally {
            m.close();
        }
        HealthMonitor r = HealthMonitor.resume(ID, Healthcheck.shell("x"), null, T0, old, new ScriptedProbe(timing, Duration.ZERO), new Recorder(), timing).orElseThrow();
        try {
            assertThat(r.health()).as("unpause keeps status and streak").isEqualTo(old);
        } finally {
            r.close();
        }
    }

    @Test
    void aListenerMayCloseTheMonitorFromItsOwnThread() throws Exception {
        var timing = new FakeTiming(T0);
        var probe = new ScriptedProbe(timing, Duration.ZERO, new ProbeRunner.Result(1, ""), new ProbeRunner.Result(0, ""));
        var self = new java.util.concurrent.atomic.AtomicReference<HealthMonitor>();
        var closed = new CountDownLatch(1);
        HealthListener stopOnUnhealthy = (id, status) -> {
            if (status == Status.UNHEALTHY) {
                self.get().close();
                closed.countDown();
            }
        };
        var check = new Healthcheck(List.of("CMD", "probe"), Duration.ofSeconds(1), null, null, null, 1);
        HealthMonitor m = HealthMonitor.start(ID, check, null, T0, null, probe, (id, s) -> {
            while (self.get() == null) Thread.onSpinWait();
            stopOnUnhealthy.statusChanged(id, s);
        }, timing).orElseThrow();
        self.set(m);
        closed.await();
        await().until(() -> probe.commands.size() == 1);
        await().during(Duration.ofMillis(100)).until(() -> probe.commands.size() == 1);
        assertThat(m.health().status()).isEqualTo(Status.UNHEALTHY);
        m.close();
    }

    @Test
    void disabledChecksHaveNoMonitor() {
        var timing = new FakeTiming(T0);
        var probe = new ScriptedProbe(timing, Duration.ZERO);
        assertThat(HealthMonitor.start(ID, new Healthcheck(List.of("NONE"), null, null, null, null, 0), null, T0, null, probe, HealthListener.NONE, timing)).isEmpty();
        assertThat(HealthMonitor.start(ID, null, null, T0, null, probe, HealthListener.NONE, timing)).isEmpty();
        await().during(Duration.ofMillis(50)).until(() -> probe.commands.isEmpty());
    }
}
