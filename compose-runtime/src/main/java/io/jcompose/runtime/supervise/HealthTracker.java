package io.jcompose.runtime.supervise;

import io.jcompose.runtime.supervise.Health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health state machine of one running container, without threads or clocks (moby's
 * {@code handleProbeResult} and the monitor's interval choice; RUNTIME-FACTS §6). Thread-safe.
 */
final class HealthTracker {
    private final Healthcheck check;
    private final Instant startedAt;
    private Status status;
    private int failingStreak;
    private final List<HealthResult> log;

    /**
     * @param startedAt when the container (last) started: the start period counts from here
     * @param initial   the health before this run (its log is kept, as Docker keeps it across restarts)
     */
    HealthTracker(Healthcheck check, Instant startedAt, Health initial) {
        this.check = check;
        this.startedAt = startedAt;
        this.status = initial.status();
        this.failingStreak = initial.failingStreak();
        this.log = new ArrayList<>(initial.log());
    }

    /**
     * The wait before the next probe, counted from the end of the previous one (or from the
     * monitor's start for the first): the start interval while still starting within the start
     * period, else the interval.
     */
    synchronized Duration nextDelay(Instant now) {
        boolean inStartPeriod = Duration.between(startedAt, now).compareTo(check.effectiveStartPeriod()) < 0;
        return inStartPeriod && status == Status.STARTING ? check.effectiveStartInterval() : check.effectiveInterval();
    }

    /**
     * Records a result: exit 0 → healthy and the streak reset; otherwise the streak grows
     * (unless still starting within the start period) and reaching the retries makes it unhealthy.
     *
     * @return the new status if it changed
     */
    synchronized Optional<Status> record(HealthResult r) {
        Status before = status;
        log.add(r);
        if (log.size() > Health.MAX_LOG) log.subList(0, log.size() - Health.MAX_LOG).clear();
        if (r.exitCode() == 0) {
            failingStreak = 0;
            status = Status.HEALTHY;
        } else {
            boolean grace = status == Status.STARTING
                    && Duration.between(startedAt, r.start()).compareTo(check.effectiveStartPeriod()) < 0;
            if (!grace) {
                failingStreak++;
                if (failingStreak >= check.effectiveRetries()) status = Status.UNHEALTHY;
            }
        }
        return status == before ? Optional.empty() : Optional.of(status);
    }

    /** The monitor stopped (container stopped or paused): Docker then reports unhealthy, without an event. */
    synchronized void stopped() {
        status = Status.UNHEALTHY;
    }

    /** When the run this tracker follows started. */
    Instant startedAt() {
        return startedAt;
    }

    synchronized Health snapshot() {
        return new Health(status, failingStreak, log);
    }
}
