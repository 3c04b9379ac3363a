package io.jcompose.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.container.EngineOnBusybox;
import io.jcompose.runtime.container.ContainerState;
import io.jcompose.runtime.container.ExecProcess;
import io.jcompose.runtime.container.ExecSpec;
import io.jcompose.runtime.container.RestartPolicy;
import io.jcompose.runtime.state.StateStore;
import io.jcompose.runtime.supervise.Health.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Health probes and restart policies on real containers (overlay root, shim, exec) through the ContainerEngine. */
@Tag("root")
class SupervisionRootTest extends EngineOnBusybox {
    static final Duration WAIT = Duration.ofSeconds(20);
    RestartSupervisor supervisor;
    final List<HealthMonitor> monitors = new ArrayList<>();
    final List<Status> healthEvents = new CopyOnWriteArrayList<>();
    final RecordingRestartListener restartListener = new RecordingRestartListener();
    final List<String> restartEvents = restartListener.seen;

    final HealthListener healthListener = (id, status) -> healthEvents.add(status);

    @BeforeEach
    void supervisor() {
        supervisor = new RestartSupervisor(SupervisedRuntime.of(engine), new StateStore(dataRoot.resolve("state")), restartListener, Timing.SYSTEM);
    }

    @AfterEach
    void closeSupervision() {
        monitors.forEach(HealthMonitor::close);
        supervisor.close();
    }

    String run(ContainerSpec spec) throws IOException {
        String id = create(spec);
        engine.start(id);
        return id;
    }

    /** Created, registered with {@code policy}, started through the API path. */
    String supervised(RestartPolicy policy, String... cmd) throws IOException {
        String id = create(spec(cmd));
        supervisor.register(id, policy);
        engine.start(id);
        supervisor.started(id);
        return id;
    }


    HealthMonitor monitor(String id, Healthcheck check) throws IOException {
        HealthMonitor m = HealthMonitor.start(id, check, null, engine.inspect(id).startedAt(), null,
                new ExecProbeRunner(engine, id), healthListener, Timing.SYSTEM).orElseThrow();
        monitors.add(m);
        return m;
    }

    static Healthcheck check(List<String> test, long intervalMs, long timeoutMs, int retries) {
        return new Healthcheck(test, Duration.ofMillis(intervalMs), Duration.ofMillis(timeoutMs), null, null, retries);
    }

    String execOutput(String id, String... cmd) throws Exception {
        ExecProcess p = engine.exec(id, ExecSpec.of(cmd));
        String out = new String(p.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    // ---- health ----------------------------------------------------------------------------

    @Test
    void aSucceedingProbeMakesItHealthyAndRunsAsTheContainersUserDirAndEnv() throws Exception {
        String id = run(spec("sleep", "60").toBuilder().env(List.of("PROBE_ENV=from-container")).workingDir("/tmp").user("daemon").build());
        HealthMonitor m = monitor(id, check(List.of("CMD-SHELL", "echo $PROBE_ENV $(pwd) $(id -u)"), 200, 5000, 3));
        assertThat(m.health().status()).isEqualTo(Status.STARTING);
        await().atMost(WAIT).until(() -> m.health().status() == Status.HEALTHY);
        HealthResult r = m.health().log().getFirst();
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).isEqualTo("from-container /tmp 1\n");
        assertThat(r.end()).isAfterOrEqualTo(r.start());
        assertThat(r.start()).as("first probe one interval after the start")
                .isAfterOrEqualTo(engine.inspect(id).startedAt().plusMillis(200));
        assertThat(healthEvents).containsExactly(Status.HEALTHY);
        engine.stop(id, Duration.ofMillis(100));
        m.close();
        assertThat(m.health().status()).as("stopped: unhealthy").isEqualTo(Status.UNHEALTHY);
    }

    @Test
    void threeFailuresMakeItUnhealthyWithStreakAndLog() throws Exception {
        String id = run(spec("sleep", "60"));
        HealthMonitor m = monitor(id, check(List.of("CMD", "sh", "-c", "echo bad >&2; exit 1"), 100, 5000, 3));
        await().atMost(WAIT).until(() -> m.health().status() == Status.UNHEALTHY);
        Health h = m.health();
        assertThat(h.failingStreak()).isEqualTo(3);
        assertThat(h.log()).hasSize(3).allSatisfy(r -> {
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).isEqualTo("bad\n");
        });
        assertThat(healthEvents).containsExactly(Status.UNHEALTHY);
        await().atMost(WAIT).until(() -> m.health().log().size() == Health.MAX_LOG && m.health().failingStreak() >= 6);
        assertThat(healthEvents).as("no event without a change").containsExactly(Status.UNHEALTHY);
    }

    @Test
    void aProbePastItsTimeoutIsKilledAndReportsMinusOne() throws Exception {
        String id = run(spec("sleep", "60"));
        HealthMonitor m = monitor(id, check(List.of("CMD-SHELL", "echo partial; sleep 30"), 100, 300, 1));
        await().atMost(WAIT).until(() -> m.health().status() == Status.UNHEALTHY);
        HealthResult r = m.health().log().getFirst();
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.output()).isEqualTo("Health check exceeded timeout (300ms): partial\n");
        assertThat(Duration.between(r.start(), r.end())).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
        m.close();
        assertThat(execOutput(id, "ps", "-o", "args")).as("the probe's processes were killed").doesNotContain("sleep 30");
    }

    @Test
    void aProbeThatCannotStartFailsWithTheError() throws Exception {
        String id = run(spec("sleep", "60"));
        HealthMonitor m = monitor(id, check(List.of("CMD", "/no/such/probe"), 100, 5000, 1));
        await().atMost(WAIT).until(() -> m.health().status() == Status.UNHEALTHY);
        HealthResult r = m.health().log().getFirst();
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.output()).contains("/no/such/probe").containsIgnoringCase("no such file or directory");
    }

    // ---- restart ---------------------------------------------------------------------------

    @Test
    void onFailure2RestartsTwiceThenStaysExited() throws Exception {
        String id = supervised(RestartPolicy.parse("on-failure:2"), "sh", "-c", "exit 1");
        await().atMost(WAIT).until(() -> restartEvents.size() == 5);
        assertThat(restartEvents).containsExactly("die 1 restarting", "restart 1", "die 1 restarting", "restart 2", "die 1");
        assertThat(supervisor.record(id).restartCount()).isEqualTo(2);
        ContainerState st = engine.inspect(id);
        assertThat(st.status()).isEqualTo(ContainerState.Status.EXITED);
        assertThat(st.exitCode()).isEqualTo(1);
        assertThat(supervisor.restarting(id)).isFalse();
    }

    @Test
    void alwaysRestartsAfterExitZero() throws Exception {
        String id = supervised(new RestartPolicy.Always(), "sh", "-c", "sleep 0.2; exit 0");
        // the count grows when the restart is decided, the event follows after the delay
        await().atMost(WAIT).until(() -> restartEvents.contains("restart 2"));
        assertThat(restartEvents).startsWith("die 0 restarting", "restart 1", "die 0 restarting", "restart 2");
        supervisor.stopping(id);
        engine.stop(id, Duration.ofSeconds(1));
        int count = supervisor.record(id).restartCount();
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> !engine.inspect(id).running() && supervisor.record(id).restartCount() == count);
    }

    @Test
    void aManuallyStoppedContainerIsNotRestarted() throws Exception {
        String id = supervised(new RestartPolicy.Always(), "sleep", "60");
        supervisor.stopping(id);
        assertThat(engine.stop(id, Duration.ofMillis(200))).isTrue();
        await().atMost(WAIT).until(() -> restartEvents.contains("die 137"));
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !engine.inspect(id).running());
        assertThat(restartEvents).containsExactly("die 137");
        assertThat(supervisor.record(id)).isEqualTo(new RestartRecord("always", 0, true, true));

        // the daemon restarts: always starts it again even though it was stopped by hand
        supervisor.close();
        supervisor = new RestartSupervisor(SupervisedRuntime.of(engine), new StateStore(dataRoot.resolve("state")), restartListener, Timing.SYSTEM);
        assertThat(supervisor.resume()).containsExactly(id);
        assertThat(engine.inspect(id).running()).isTrue();
        assertThat(supervisor.record(id).manuallyStopped()).isFalse();
    }

    @Test
    void anExitWhileTheDaemonIsDownIsRestartedWhenItComesBack() throws Exception {
        String id = supervised(new RestartPolicy.UnlessStopped(), "sh", "-c", "sleep 0.5; exit 3");
        supervisor.close(); // daemon shutdown: the container keeps running
        assertThat(engine.inspect(id).running()).isTrue();
        assertThat(engine.waitExit(id).exitCode()).isEqualTo(3);
        assertThat(engine.inspect(id).running()).as("nobody restarted it while the daemon was down").isFalse();

        supervisor = new RestartSupervisor(SupervisedRuntime.of(engine), new StateStore(dataRoot.resolve("state")), restartListener, Timing.SYSTEM);
        assertThat(supervisor.resume()).containsExactly(id);
        assertThat(engine.inspect(id).running()).isTrue();
        await().atMost(WAIT).until(() -> restartEvents.contains("restart 1"));
        assertThat(restartEvents).startsWith("die 3 restarting", "restart 1");
    }
}
