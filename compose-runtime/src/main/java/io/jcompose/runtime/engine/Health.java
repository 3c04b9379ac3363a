package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.model.ContainerState;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.state.StateStore;
import io.jcompose.runtime.supervise.ExecProbeRunner;
import io.jcompose.runtime.supervise.HealthListener;
import io.jcompose.runtime.supervise.HealthMonitor;
import io.jcompose.runtime.supervise.Healthcheck;
import io.jcompose.runtime.supervise.Timing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The containers' health checks: one {@link HealthMonitor} (package {@code supervise}, RUNTIME-FACTS
 * §6) per running container with an enabled check; its last health is kept after the container
 * stops (inspect shows it, {@code unhealthy}), and events go to the daemon's bus. The health is
 * persisted (state kind {@value #KIND}) after every probe and stop, as Docker checkpoints it, so a
 * restarted daemon shows the same status, failing streak and log and monitors on from there.
 */
final class Health {

    /** The state store kind of the persisted health records. */
    static final String KIND = "health";

    private final ContainerEngine engine;
    private final EventSink events;
    private final StateStore store;
    private final Map<String, HealthMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<String, io.jcompose.runtime.supervise.Health> last = new ConcurrentHashMap<>();

    Health(ContainerEngine engine, EventSink events, StateStore store) {
        this.engine = engine;
        this.events = events;
        this.store = store;
        last.putAll(store.loadAll(KIND, io.jcompose.runtime.supervise.Health.class));
    }

    /** Docker's inheritance (an empty test and zero fields take the image's), validated: 400 with moby's message. */
    static HealthConfig merge(HealthConfig request, HealthConfig image) {
        Healthcheck img = Healthcheck.fromApi(image);
        Healthcheck req = Healthcheck.fromApi(request);
        Healthcheck merged = req == null ? img : req.inheriting(img);
        if (merged == null) {
            return null;
        }
        try {
            return merged.validate().toApi();
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
    }

    /** Starts probing a container that has just started ({@code resume}: one found running by a new daemon). */
    synchronized void start(String id, HealthConfig h, List<String> shell, Map<String, String> eventAttributes, Instant startedAt, boolean resume) {
        stop(id);
        Healthcheck check = Healthcheck.fromApi(h);
        HealthListener listener = new HealthListener() {
            @Override
            public void statusChanged(String containerId, io.jcompose.runtime.supervise.Health.Status status) {
                events.publish(EventSink.event("container", status.eventAction(), containerId, eventAttributes));
            }

            @Override
            public void probeStarting(String containerId, List<String> command) {
                events.publish(EventSink.event("container", "exec_create: " + String.join(" ", command), containerId, eventAttributes));
            }

            @Override
            public void recorded(String containerId, io.jcompose.runtime.supervise.Health health) {
                persist(containerId, health);
            }
        };
        Instant since = startedAt == null ? Instant.now() : startedAt;
        var runner = new ExecProbeRunner(engine, id);
        var monitor = resume
                ? HealthMonitor.resume(id, check, shell, since, last.get(id), runner, listener, Timing.SYSTEM)
                : HealthMonitor.start(id, check, shell, since, last.get(id), runner, listener, Timing.SYSTEM);
        monitor.ifPresent(m -> {
            monitors.put(id, m);
            persist(id, m.health()); // a daemon restarting before the first probe finds "starting", not the last run's end
        });
    }

    /** Stops probing (exit, stop, removal); the status is then {@code unhealthy}, as Docker leaves it. */
    synchronized void stop(String id) { // synchronized with forget: an exit's stop must not write the record back after a removal
        HealthMonitor m = monitors.remove(id);
        if (m != null) {
            m.close();
            last.put(id, m.health());
            persist(id, m.health());
        }
    }

    /**
     * Daemon shutdown: every monitor stops probing; the persisted health stays as the last probe
     * left it (the containers keep running, the next daemon monitors on from there).
     */
    synchronized void closeAll() {
        monitors.values().forEach(HealthMonitor::close);
        monitors.clear();
    }

    /**
     * The run that ended at {@code finishedAt} exited: its monitor stops. A monitor of a newer run
     * (a start that came before the exit's handling) is left alone.
     */
    synchronized void exited(String id, Instant finishedAt) {
        HealthMonitor m = monitors.get(id);
        if (m != null && finishedAt != null && m.startedAt().isAfter(finishedAt)) {
            return;
        }
        stop(id);
    }

    synchronized void forget(String id) {
        stop(id);
        last.remove(id);
        store.delete(KIND, id);
    }

    private void persist(String id, io.jcompose.runtime.supervise.Health h) {
        try {
            store.put(KIND, id, h);
        } catch (RuntimeException e) { // a full disk must not stop the probes; inspect still has it in memory
            org.slf4j.LoggerFactory.getLogger(Health.class).warn("cannot persist the health of container {}: {}", id, e.getMessage());
        }
    }

    /** {@code State.Health} of inspect, or null when the container has no health check. */
    ContainerState.Health of(String id) {
        HealthMonitor m = monitors.get(id);
        var h = m != null ? m.health() : last.get(id);
        return h == null ? null : h.toApi();
    }

    /** {@code healthy}, {@code unhealthy}, {@code starting}, or {@code none}. */
    String status(String id) {
        HealthMonitor m = monitors.get(id);
        return m == null ? "none" : m.health().status().dockerName();
    }
}
