package io.jcompose.runtime.supervise;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one running container on a virtual thread, as moby's health monitor does: first probe one
 * interval after the start (the start interval while starting within the start period), the next
 * one interval after the previous probe ended; results go through {@link HealthTracker}, status
 * changes to the {@link HealthListener}. {@link #close()} (container stopped or paused) kills a
 * running probe, waits for it, and leaves the status {@code unhealthy}.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final String containerId;
    private final Healthcheck check;
    private final List<String> command;
    private final HealthTracker tracker;
    private final ProbeRunner runner;
    private final HealthListener listener;
    private final Timing timing;
    private final Thread thread;
    private volatile boolean closed;

    private HealthMonitor(String containerId, Healthcheck check, List<String> command, HealthTracker tracker,
                          ProbeRunner runner, HealthListener listener, Timing timing) {
        this.containerId = containerId;
        this.check = check;
        this.command = command;
        this.tracker = tracker;
        this.runner = runner;
        this.listener = listener;
        this.timing = timing;
        this.thread = Thread.ofVirtual().name("health-" + containerId.substring(0, Math.min(12, containerId.length()))).unstarted(this::run);
    }

    /**
     * Starts monitoring a container that has just started: status {@code starting}, streak 0,
     * the previous log kept. Empty when the healthcheck is disabled ({@code NONE}, no test, an
     * unknown kind): the container then has no health at all.
     *
     * @param startedAt the container's start time (the start period counts from it)
     * @param previous  its health from an earlier run, or null
     * @param shell     the image's SHELL for {@code CMD-SHELL} (null: {@code /bin/sh -c})
     */
    public static Optional<HealthMonitor> start(String containerId, Healthcheck check, List<String> shell, Instant startedAt,
                                                Health previous, ProbeRunner runner, HealthListener listener, Timing timing) {
        Health initial = new Health(Health.Status.STARTING, 0, previous == null ? List.of() : previous.log());
        return launch(containerId, check, shell, startedAt, initial, runner, listener, timing);
    }

    /**
     * Monitors again after an unpause (or a daemon restart with the container still running):
     * status and streak stay as they were, the start period still counts from {@code startedAt}.
     */
    public static Optional<HealthMonitor> resume(String containerId, Healthcheck check, List<String> shell, Instant startedAt,
                                                 Health previous, ProbeRunner runner, HealthListener listener, Timing timing) {
        return launch(containerId, check, shell, startedAt, previous == null ? Health.NEW : previous, runner, listener, timing);
    }

    private static Optional<HealthMonitor> launch(String containerId, Healthcheck check, List<String> shell, Instant startedAt,
                                                  Health initial, ProbeRunner runner, HealthListener listener, Timing timing) {
        if (check == null) return Optional.empty();
        Optional<List<String>> cmd = check.probeCommand(shell);
        if (cmd.isEmpty()) {
            if (check.test().size() >= 1 && !check.test().getFirst().equals("NONE"))
                LOG.warn("Unknown healthcheck type '{}' (expected 'CMD') in container {}", check.test().getFirst(), containerId);
            return Optional.empty();
        }
        HealthMonitor m = new HealthMonitor(containerId, check, cmd.get(), new HealthTracker(check, startedAt, initial),
                runner, listener, timing);
        m.thread.start();
        return Optional.of(m);
    }

    /** The current health (for inspect and {@code docker ps}). */
    public Health health() {
        return tracker.snapshot();
    }

    /** When the run it probes started (a late exit of an earlier run must not stop it). */
    public Instant startedAt() {
        return tracker.startedAt();
    }

    /** The container this monitor probes. */
    public String containerId() {
        return containerId;
    }

    private void run() {
        try {
            while (!closed) {
                timing.sleep(tracker.nextDelay(timing.now()));
                if (closed) return;
                Instant start = timing.now();
                listener.probeStarting(containerId, command);
                ProbeRunner.Result r = runner.run(command, check.effectiveTimeout());
                HealthResult result = new HealthResult(start, timing.now(), r.exitCode(), r.output());
                Optional<Health.Status> change;
                Health after;
                synchronized (this) {
                    if (closed) return; // stopped while probing: the result is dropped, as moby does
                    change = tracker.record(result);
                    after = tracker.snapshot();
                }
                listener.recorded(containerId, after);
                change.ifPresent(s -> listener.statusChanged(containerId, s));
            }
        } catch (InterruptedException stopped) {
            // close() interrupted the wait or the probe
        } catch (RuntimeException e) {
            LOG.warn("health monitor of container {} failed", containerId, e);
        }
    }

    /** Stops probing (killing a running probe and waiting for it); the status becomes {@code unhealthy}. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            tracker.stopped();
        }
        thread.interrupt();
        if (Thread.currentThread() == thread) return; // closed by a listener on the monitor's own thread
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
