package io.jcompose.runtime.supervise;

import io.jcompose.runtime.container.ContainerException;
import io.jcompose.runtime.container.ContainerState;
import io.jcompose.runtime.container.ExitStatus;
import io.jcompose.runtime.container.RestartPolicy;
import io.jcompose.runtime.container.Signals;
import io.jcompose.runtime.state.ObjectLocks;
import io.jcompose.runtime.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every started container's exit (one virtual thread each) and applies its restart
 * policy the way moby's restart manager does (RUNTIME-FACTS §4): {@code no}, {@code always},
 * {@code unless-stopped}, {@code on-failure[:N]}; delay 100 ms doubling to 1 min, back to
 * 100 ms after a run of ≥ 10 s; RestartCount; no restart after a manual stop or a SIGKILL /
 * stop-signal kill, nor during daemon shutdown; {@link #resume} decides at daemon start.
 *
 * <p>The per-container {@link RestartRecord} is kept in the {@link StateStore} (kind
 * {@value #KIND}) and rewritten on every change. The daemon calls {@link #register} at create,
 * {@link #started} after each API start/restart, {@link #stopping}/{@link #killing} before API
 * stop/kill, {@link #removed} on delete, {@link #resume} once at daemon start and {@link #close}
 * at daemon shutdown.
 */
public final class RestartSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestartSupervisor.class);

    /** The state store kind of the records. */
    public static final String KIND = "restart";

    private final SupervisedRuntime runtime;
    private final StateStore store;
    private final RestartListener listener;
    private final Timing timing;
    private final ObjectLocks locks;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    /**
     * @param containerLocks the daemon's per-container locks: every decision of the supervisor, and
     *                       an automatic restart's whole start, runs holding the container's lock, so
     *                       an API stop or remove that holds it sees a settled phase (docs/supervision.md)
     */
    public RestartSupervisor(SupervisedRuntime runtime, StateStore store, RestartListener listener, Timing timing,
            ObjectLocks containerLocks) {
        this.runtime = runtime;
        this.store = store;
        this.listener = listener;
        this.timing = timing;
        this.locks = containerLocks;
    }

    /** With locks of its own (nothing else serialises on the containers). */
    public RestartSupervisor(SupervisedRuntime runtime, StateStore store, RestartListener listener, Timing timing) {
        this(runtime, store, listener, timing, new ObjectLocks());
    }

    private enum Phase { AWAITING_EXIT, DELAYING, STARTING, ENDED }

    /** One watched run of a container; fields guarded by the instance. */
    private final class Watch {
        final String id;
        final RestartPolicy.Backoff backoff = new RestartPolicy.Backoff();
        Phase phase = Phase.AWAITING_EXIT;
        boolean cancelled;
        Thread thread;

        Watch(String id) {
            this.id = id;
        }
    }

    // ---- calls from the daemon's API paths -------------------------------------------------

    /** Records a new container's policy (or a changed one, {@code docker update --restart}). */
    public void register(String id, RestartPolicy policy) {
        try (var held = locks.hold(id)) {
            RestartRecord rec = store.get(KIND, id, RestartRecord.class).map(r -> r.withPolicy(policy))
                    .orElseGet(() -> RestartRecord.created(policy));
            store.put(KIND, id, rec);
        }
    }

    /**
     * After an API start or restart succeeded: RestartCount and the manual stop are reset, and the
     * exit of this run is watched.
     */
    public void started(String id) {
        try (var held = locks.hold(id)) {
            store.put(KIND, id, record(id).startedManually());
            watch(id);
        }
    }

    /**
     * Before an API stop (or the stop of an API restart): the container is manually stopped, its
     * next exit does not restart it, and a pending restart is cancelled.
     */
    public void stopping(String id) {
        try (var held = locks.hold(id)) {
            RestartRecord stopped = record(id).stoppedManually();
            if (stopped.restartPolicy() instanceof RestartPolicy.No) {
                // the manual stop decides nothing for policy "no" after a crash, so it need not be durable
                // (no fsyncs on each stop of a down); a policy change (register) writes it durably with the rest
                store.putLater(KIND, id, stopped);
            } else {
                store.put(KIND, id, stopped);
            }
            cancel(id);
        }
    }

    /**
     * Before an API kill: it counts as a manual stop ({@code unless-stopped} will not restart it);
     * SIGKILL or the container's stop signal also cancels any restart, other signals leave
     * {@code always} and {@code on-failure} to decide (moby's {@code ExitOnNext}).
     */
    public void killing(String id, int signal, int stopSignal) {
        try (var held = locks.hold(id)) {
            store.put(KIND, id, record(id).stoppedManually());
            if (signal == Signals.SIGKILL || signal == stopSignal) cancel(id);
        }
    }

    /** The container was removed: forget its record and stop watching it. */
    public void removed(String id) {
        try (var held = locks.hold(id)) {
            cancel(id);
            store.deleteLater(KIND, id); // not durable: a record whose container is gone is dropped at start (resume)
        }
    }

    /** State.Restarting: waiting for the delay before an automatic restart (Running stays true then). */
    public boolean restarting(String id) {
        Watch w = watches.get(id);
        if (w == null) return false;
        synchronized (w) {
            return w.phase == Phase.DELAYING || w.phase == Phase.STARTING;
        }
    }

    /**
     * The container's run has ended but the watcher has not yet decided on a restart: for the API
     * it is still the supervisor's, so a stop must cancel it (moby decides within the exit itself).
     */
    public boolean exitPending(String id) {
        Watch w = watches.get(id);
        if (w == null) return false;
        synchronized (w) {
            return w.phase == Phase.AWAITING_EXIT && !w.cancelled;
        }
    }

    /** The persisted record (policy {@code no} with zero counts if there is none). */
    public RestartRecord record(String id) {
        return store.get(KIND, id, RestartRecord.class).orElseGet(() -> RestartRecord.created(new RestartPolicy.No()));
    }

    /**
     * At daemon start, over every record: a running container is watched again; a stopped one that
     * ran before is started when its policy says so for its last exit — {@code always} even after
     * a manual stop, {@code unless-stopped} only if not, {@code on-failure} after a failure within
     * its count — with RestartCount and the manual stop reset (moby starts it as a new start).
     * Records of containers that no longer exist are dropped.
     *
     * @return the containers it started
     */
    public List<String> resume() {
        List<String> startedNow = new ArrayList<>();
        for (var e : store.loadAll(KIND, RestartRecord.class).entrySet()) {
            String id = e.getKey();
            RestartRecord rec = e.getValue();
            try (var held = locks.hold(id)) {
                ContainerState st;
                try {
                    st = runtime.state(id);
                } catch (ContainerException.NotFound gone) {
                    store.delete(KIND, id);
                    continue;
                } catch (IOException ex) {
                    LOG.warn("cannot read the state of container {}: {}", id, ex.getMessage());
                    continue;
                }
                if (st.running()) {
                    watch(id);
                } else if (rec.startedBefore()
                        && rec.restartPolicy().restartsOnDaemonStart(st.exitCode(), rec.restartCount(), rec.manuallyStopped())) {
                    try {
                        runtime.start(id);
                        store.put(KIND, id, rec.startedManually());
                        watch(id);
                        startedNow.add(id);
                    } catch (IOException | RuntimeException ex) {
                        LOG.warn("failed to start container {} on daemon start: {}", id, ex.getMessage());
                    }
                }
            }
        }
        return startedNow;
    }

    /**
     * Daemon shutdown: stops watching (the containers keep running); exits from now on are never
     * restarted, pending restarts are dropped. Waits for the watchers to end.
     */
    @Override
    public void close() {
        shuttingDown = true;
        List<Thread> threads = new ArrayList<>();
        for (Watch w : watches.values()) {
            synchronized (w) {
                w.cancelled = true;
                if (w.phase != Phase.STARTING && w.thread != null) w.thread.interrupt();
                if (w.thread != null) threads.add(w.thread);
            }
        }
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- the watcher ------------------------------------------------------------------------

    private void cancel(String id) {
        Watch w = watches.remove(id);
        if (w == null) return;
        synchronized (w) {
            w.cancelled = true;
            if (w.phase == Phase.DELAYING) w.thread.interrupt();
        }
    }

    private void watch(String id) {
        if (shuttingDown) return;
        Watch old = watches.get(id);
        if (old != null) {
            synchronized (old) {
                if (old.phase == Phase.AWAITING_EXIT && !old.cancelled) return; // already watching this run
            }
            cancel(id);
        }
        Watch w = new Watch(id);
        synchronized (w) {
            w.thread = Thread.ofVirtual().name("restart-" + id.substring(0, Math.min(12, id.length()))).unstarted(() -> run(w));
            watches.put(id, w);
            w.thread.start();
        }
    }

    private void run(Watch w) {
        try {
            while (true) {
                ExitStatus exit = runtime.awaitExit(w.id);
                Duration delay;
                int count;
                boolean restart;
                try (var held = locks.hold(w.id)) {
                    boolean cancelled;
                    synchronized (w) {
                        cancelled = w.cancelled || shuttingDown;
                    }
                    RestartRecord rec = record(w.id);
                    RestartPolicy policy = rec.restartPolicy();
                    // a kill by another signal still counts as a manual stop, which only unless-stopped heeds
                    boolean manual = rec.manuallyStopped() && policy instanceof RestartPolicy.UnlessStopped;
                    restart = !cancelled && policy.restartsAfterExit(exit.exitCode(), rec.restartCount(), manual, false);
                    if (restart) {
                        delay = w.backoff.delayAfter(ranFor(w.id, exit));
                        rec = rec.restartedOnce();
                        count = rec.restartCount();
                        store.put(KIND, w.id, rec);
                    } else {
                        delay = Duration.ZERO;
                        count = rec.restartCount();
                    }
                    synchronized (w) {
                        w.phase = restart ? Phase.DELAYING : Phase.ENDED;
                    }
                    if (!restart) watches.remove(w.id, w);
                }
                // outside the locks: the listener may call back into the supervisor
                listener.exited(w.id, exit, restart);
                if (!restart) return;
                try {
                    timing.sleep(delay);
                } catch (InterruptedException cancelled) {
                    end(w);
                    return;
                }
                // the check and the start under the container's lock: a stop or remove (which hold it)
                // comes either before (no start) or after (the new run is running and watched)
                Exception failed = null;
                try (var held = locks.hold(w.id)) {
                    synchronized (w) {
                        if (w.cancelled || shuttingDown) {
                            w.phase = Phase.ENDED;
                            watches.remove(w.id, w);
                            return;
                        }
                        w.phase = Phase.STARTING;
                    }
                    try {
                        runtime.start(w.id);
                    } catch (IOException | RuntimeException e) {
                        failed = e;
                    }
                    synchronized (w) {
                        w.phase = failed == null ? Phase.AWAITING_EXIT : Phase.ENDED;
                    }
                }
                if (failed != null) {
                    watches.remove(w.id, w);
                    LOG.warn("failed to restart container {}: {}", w.id, failed.getMessage());
                    listener.restartFailed(w.id, failed);
                    return;
                }
                if (shuttingDown) { // close() came while starting: the next daemon watches this run
                    end(w);
                    return;
                }
                listener.restarted(w.id, count);
            }
        } catch (InterruptedException stopped) {
            end(w);
        } catch (ContainerException.NotFound removed) {
            end(w);
        } catch (IOException | RuntimeException e) {
            end(w);
            LOG.warn("stopped watching container {}: {}", w.id, e.getMessage());
        }
    }

    private void end(Watch w) {
        synchronized (w) {
            w.phase = Phase.ENDED;
        }
        watches.remove(w.id, w);
    }

    /** How long the run lasted (StartedAt to FinishedAt), for the backoff's reset after a stable run. */
    private Duration ranFor(String id, ExitStatus exit) {
        try {
            ContainerState st = runtime.state(id);
            Instant end = exit.finishedAt() != null ? exit.finishedAt() : timing.now();
            return st.startedAt() == null ? Duration.ZERO : Duration.between(st.startedAt(), end);
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    /** Whether a watcher is active for the container (tests, diagnostics). */
    boolean watching(String id) {
        return Optional.ofNullable(watches.get(id)).isPresent();
    }
}
