package io.jcompose.runtime.reaper;

import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.Sessions.KeepAlive;
import io.jcompose.runtime.api.model.SessionInfo;
import io.jcompose.runtime.api.model.SessionReapReport;
import io.jcompose.runtime.api.server.SessionBackend;
import io.jcompose.runtime.state.StateStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases on client sessions and reaps a session's objects when its last lease is gone:
 * at once when the client ended it in order, after the keep-alive when the connection was lost
 * (client crashed or was killed). A periodic sweep also finds labelled objects of sessions nobody
 * holds (after a daemon restart, or made after a reap by a client that was already dead) and
 * reaps them one keep-alive after they were first seen unheld.
 */
public final class SessionReaper implements SessionBackend, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionReaper.class);

    private final SessionObjects objects;
    private final StateStore store;
    private final KeepAlive defaultKeepAlive;
    private final Duration sweepInterval;
    private final ScheduledThreadPoolExecutor timer = newTimer();
    /** Sessions that are held, waiting out their keep-alive, or kept forever; guarded by {@code this}. */
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, SessionRecord> records;
    /** Set by {@link #close()}: connections dropped by the daemon's own shutdown start no timers. */
    private boolean closed; // guarded by this

    private static final class Session {
        final String id;
        int leases;
        KeepAlive keepAlive;
        ScheduledFuture<?> pending;

        Session(String id, KeepAlive keepAlive) {
            this.id = id;
            this.keepAlive = keepAlive;
        }
    }

    /**
     * @param objects the engine's objects
     * @param store where session records survive a restart
     * @param defaultKeepAlive the keep-alive of leases that name none (daemon config {@code session-keepalive})
     * @param sweepInterval how often to look for labelled objects of sessions nobody holds
     */
    public SessionReaper(SessionObjects objects, StateStore store, KeepAlive defaultKeepAlive, Duration sweepInterval) {
        this.objects = objects;
        this.store = store;
        this.defaultKeepAlive = defaultKeepAlive;
        this.sweepInterval = sweepInterval;
        this.records = new HashMap<>(store.loadAll(SessionRecord.KIND, SessionRecord.class));
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("jcompose-reaper").factory());
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a closing daemon starts no reap
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** A reaper sweeping every keep-alive (at least 1 s, at most 30 s). */
    public static SessionReaper create(SessionObjects objects, StateStore store, KeepAlive defaultKeepAlive) {
        Duration every = defaultKeepAlive.forever() ? Duration.ofSeconds(30) : defaultKeepAlive.duration();
        every = every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every.compareTo(Duration.ofSeconds(30)) > 0
                ? Duration.ofSeconds(30) : every;
        return new SessionReaper(objects, store, defaultKeepAlive, every);
    }

    /**
     * Starts sweeping: the first sweep runs now, so the objects of sessions nobody holds after a
     * daemon restart are reaped one keep-alive after the start unless a client takes them back.
     */
    public SessionReaper start() {
        timer.scheduleWithFixedDelay(this::sweep, 0, sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The keep-alive leases get when they name none. */
    public KeepAlive defaultKeepAlive() {
        return defaultKeepAlive;
    }

    @Override
    public synchronized Lease acquire(String sessionId, KeepAlive keepAlive) {
        Session s = sessions.computeIfAbsent(sessionId, id -> new Session(id, keepAliveOf(id)));
        if (keepAlive != null) {
            s.keepAlive = keepAlive;
        }
        s.leases++;
        if (s.pending != null) {
            s.pending.cancel(false);
            s.pending = null;
            LOG.info("reaper: session {} taken again before its keep-alive ran out", sessionId);
        }
        remember(s);
        LOG.debug("reaper: session {} held by {} lease(s), keep-alive {}", sessionId, s.leases, s.keepAlive);
        SessionInfo info = new SessionInfo(sessionId, s.keepAlive.toString(), s.leases);
        return new Lease() {
            private boolean released;

            @Override
            public SessionInfo info() {
                return info;
            }

            @Override
            public SessionReapReport end() {
                synchronized (SessionReaper.this) {
                    if (!release()) {
                        return SessionReapReport.notReaped(sessionId);
                    }
                    if (s.leases > 0 || s.keepAlive.forever()) {
                        return SessionReapReport.notReaped(sessionId);
                    }
                    LOG.info("reaper: session {} ended by its client: reaping now", sessionId);
                }
                return reap(s);
            }

            @Override
            public void drop() {
                synchronized (SessionReaper.this) {
                    if (!release() || s.leases > 0 || closed) {
                        return;
                    }
                    if (s.keepAlive.forever()) {
                        LOG.info("reaper: session {} lost its last connection; keep-alive forever: its objects are kept", sessionId);
                        return;
                    }
                    LOG.info("reaper: session {} lost its last connection: reaping in {} unless a client takes it again", sessionId,
                            s.keepAlive);
                    schedule(s);
                }
            }

            /** Counts this lease out once. */
            private boolean release() {
                if (released) {
                    return false;
                }
                released = true;
                s.leases--;
                return true;
            }
        };
    }

    /** Looks for labelled objects of sessions nobody holds and schedules their reaping. */
    void sweep() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        Set<String> labelled;
        try {
            labelled = objects.labelledSessions();
        } catch (RuntimeException e) {
            LOG.warn("reaper: cannot list labelled objects: {}", e.toString());
            return;
        }
        synchronized (this) {
            for (String id : labelled) {
                if (sessions.containsKey(id)) {
                    continue; // held, waiting, or kept forever
                }
                Session s = new Session(id, keepAliveOf(id));
                sessions.put(id, s);
                if (s.keepAlive.forever()) {
                    LOG.info("reaper: session {} has objects but no connection; keep-alive forever: kept", id);
                    continue;
                }
                LOG.info("reaper: session {} has objects but no connection: reaping in {} unless a client takes it", id, s.keepAlive);
                schedule(s);
            }
            // records of sessions with nothing left and nobody holding them
            for (String id : Set.copyOf(records.keySet())) {
                if (!labelled.contains(id) && !sessions.containsKey(id)) {
                    forget(id);
                }
            }
        }
    }

    /** Reaps a session now (also when its lease timer fires). */
    private SessionReapReport reap(Session s) {
        synchronized (this) {
            s.pending = null;
            if (s.leases > 0) {
                return SessionReapReport.notReaped(s.id); // taken again just before the timer fired
            }
        }
        SessionReapReport report = objects.reap(s.id);
        LOG.info("reaper: session {} reaped: {} container(s), {} network(s), {} volume(s){}", s.id, report.containers().size(),
                report.networks().size(), report.volumes().size(), report.errors().isEmpty() ? "" : ", " + report.errors().size() + " failed");
        synchronized (this) {
            if (s.leases == 0 && s.pending == null && sessions.get(s.id) == s) {
                sessions.remove(s.id); // a failure is retried when the sweep finds the objects again
                if (report.errors().isEmpty()) {
                    forget(s.id);
                }
            }
        }
        return report;
    }

    private void schedule(Session s) {
        s.pending = timer.schedule(() -> {
            try {
                reap(s);
            } catch (RuntimeException e) {
                LOG.warn("reaper: reaping session {} failed", s.id, e);
                synchronized (this) {
                    sessions.remove(s.id, s);
                }
            }
        }, s.keepAlive.duration().toMillis(), TimeUnit.MILLISECONDS);
    }

    private KeepAlive keepAliveOf(String id) {
        SessionRecord r = records.get(id);
        if (r != null && r.keepAlive() != null) {
            try {
                return KeepAlive.parse(r.keepAlive());
            } catch (IllegalArgumentException e) {
                LOG.warn("reaper: session record {} has a bad keep-alive: {}", id, e.getMessage());
            }
        }
        return defaultKeepAlive;
    }

    private void remember(Session s) {
        SessionRecord r = new SessionRecord(s.id, s.keepAlive.toString());
        if (!r.equals(records.get(s.id))) {
            try {
                store.put(SessionRecord.KIND, s.id, r);
                records.put(s.id, r);
            } catch (RuntimeException e) {
                LOG.warn("reaper: cannot record session {}: {}", s.id, e.toString());
            }
        }
    }

    private void forget(String id) {
        if (records.remove(id) != null) {
            try {
                store.delete(SessionRecord.KIND, id);
            } catch (RuntimeException e) {
                LOG.warn("reaper: cannot delete the record of session {}: {}", id, e.toString());
            }
        }
    }

    /** Stops the timers; sessions and their objects stay as they are (a restarted daemon sweeps again). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            sessions.values().forEach(s -> {
                if (s.pending != null) {
                    s.pending.cancel(false);
                }
            });
        }
        // no interrupt: a reap under way finishes its current removals before the engine closes
        timer.shutdown();
        try {
            if (!timer.awaitTermination(2, TimeUnit.MINUTES)) {
                LOG.warn("reaper: a reap still runs at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the sessions known now and their lease counts. */
    synchronized Map<String, Integer> leases() {
        Map<String, Integer> out = new HashMap<>();
        sessions.forEach((id, s) -> out.put(id, s.leases));
        return out;
    }
}
