package io.jcompose.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.supervise.Health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state machine of RUNTIME-FACTS §6, with explicit times. */
class HealthTrackerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Healthcheck check(Duration interval, Duration startPeriod, Duration startInterval, int retries) {
        return new Healthcheck(List.of("CMD", "true"), interval, null, startPeriod, startInterval, retries);
    }

    static HealthResult result(Instant start, int code) {
        return new HealthResult(start, start.plusMillis(5), code, "out " + code);
    }

    @Test
    void defaultsScheduleTheFirstProbeOneIntervalAfterStart() {
        var t = new HealthTracker(check(null, null, null, 0), T0, Health.NEW);
        assertThat(t.nextDelay(T0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.snapshot()).isEqualTo(new Health(Status.STARTING, 0, List.of()));
    }

    @Test
    void startIntervalOnlyWhileStartingWithinTheStartPeriod() {
        var t = new HealthTracker(check(Duration.ofSeconds(10), Duration.ofSeconds(60), null, 0), T0, Health.NEW);
        assertThat(t.nextDelay(T0)).as("default start interval").isEqualTo(Duration.ofSeconds(5));
        assertThat(t.nextDelay(T0.plusSeconds(60))).as("start period over").isEqualTo(Duration.ofSeconds(10));
        t.record(result(T0.plusSeconds(5), 0));
        assertThat(t.nextDelay(T0.plusSeconds(6))).as("healthy: no longer starting").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void oneSuccessMakesHealthyAndResetsTheStreak() {
        var t = new HealthTracker(check(null, null, null, 3), T0, Health.NEW);
        assertThat(t.record(result(T0.plusSeconds(30), 1))).isEmpty();
        assertThat(t.snapshot().failingStreak()).isEqualTo(1);
        assertThat(t.record(result(T0.plusSeconds(60), 0))).contains(Status.HEALTHY);
        assertThat(t.snapshot().failingStreak()).isZero();
        assertThat(t.record(result(T0.plusSeconds(90), 0))).as("no change, no event").isEmpty();
    }

    @Test
    void unhealthyWhenTheStreakReachesRetries() {
        var t = new HealthTracker(check(null, null, null, 3), T0, Health.NEW);
        assertThat(t.record(result(T0.plusSeconds(30), 1))).isEmpty();
        assertThat(t.record(result(T0.plusSeconds(60), 2))).isEmpty();
        assertThat(t.record(result(T0.plusSeconds(90), -1))).contains(Status.UNHEALTHY);
        assertThat(t.record(result(T0.plusSeconds(120), 1))).isEmpty();
        assertThat(t.snapshot().failingStreak()).isEqualTo(4);
        assertThat(t.record(result(T0.plusSeconds(150), 0))).contains(Status.HEALTHY);
    }

    @Test
    void failuresInsideTheStartPeriodDoNotCountWhileStarting() {
        var t = new HealthTracker(check(null, Duration.ofSeconds(20), null, 1), T0, Health.NEW);
        assertThat(t.record(result(T0.plusSeconds(5), 1))).isEmpty();
        assertThat(t.record(result(T0.plusSeconds(19), 1))).isEmpty();
        assertThat(t.snapshot().failingStreak()).isZero();
        assertThat(t.snapshot().status()).isEqualTo(Status.STARTING);
        assertThat(t.record(result(T0.plusSeconds(20), 1))).as("probe started at the end of the period").contains(Status.UNHEALTHY);
    }

    @Test
    void failuresInsideTheStartPeriodCountOnceHealthy() {
        var t = new HealthTracker(check(null, Duration.ofSeconds(60), null, 1), T0, Health.NEW);
        t.record(result(T0.plusSeconds(5), 0));
        assertThat(t.record(result(T0.plusSeconds(10), 1))).contains(Status.UNHEALTHY);
    }

    @Test
    void keepsTheLastFiveResultsOldestFirst() {
        var t = new HealthTracker(check(null, null, null, 0), T0, Health.NEW);
        for (int i = 1; i <= 7; i++) t.record(result(T0.plusSeconds(i), i));
        assertThat(t.snapshot().log()).extracting(HealthResult::exitCode).containsExactly(3, 4, 5, 6, 7);
    }

    @Test
    void stoppingLeavesItUnhealthy() {
        var t = new HealthTracker(check(null, null, null, 0), T0, Health.NEW);
        t.record(result(T0.plusSeconds(30), 0));
        t.stopped();
        assertThat(t.snapshot().status()).isEqualTo(Status.UNHEALTHY);
        assertThat(t.snapshot().log()).hasSize(1);
    }

    @Test
    void inspectFormUsesDockersNamesAndTimes() throws Exception {
        var h = new Health(Status.HEALTHY, 0, List.of(new HealthResult(T0, T0.plusNanos(1_500_000), 0, "ok\n")));
        var api = h.toApi();
        assertThat(api.status()).isEqualTo("healthy");
        assertThat(api.log().getFirst().start()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(api.log().getFirst().end()).isEqualTo("2026-01-01T00:00:00.0015Z");
        String json = io.jcompose.runtime.api.Json.mapper().writeValueAsString(api);
        assertThat(json).contains("\"Status\":\"healthy\"", "\"FailingStreak\":0", "\"Log\":[{\"Start\":", "\"ExitCode\":0", "\"Output\":\"ok\\n\"");
        assertThat(Optional.of(Status.UNHEALTHY.eventAction())).contains("health_status: unhealthy");
    }
}
