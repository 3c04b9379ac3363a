package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.model.ContainerState;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.container.ContainerEngine;
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
 * stops (inspect shows it, {@code unhealthy}), and events go to the daemon's bus.
 */
final class Health {

    private final ContainerEngine engine;
    private final EventSink events;
    private final Map<String, HealthMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<String, io.jcompose.runtime.supervise.Health> last = new ConcurrentHashMap<>();

    Health(ContainerEngine engine, EventSink events) {
        this.engine = engine;
        this.events = events;
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
    void start(String id, HealthConfig h, List<String> shell, Map<String, String> eventAttributes, Instant startedAt, boolean resume) {
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
        };
        Instant since = startedAt == null ? Instant.now() : startedAt;
        var runner = new ExecProbeRunner(engine, id);
        var monitor = resume
                ? HealthMonitor.resume(id, check, shell, since, last.get(id), runner, listener, Timing.SYSTEM)
                : HealthMonitor.start(id, check, shell, since, last.get(id), runner, listener, Timing.SYSTEM);
        monitor.ifPresent(m -> monitors.put(id, m));
    }

    /** Stops probing (exit, stop, removal); the status is then {@code unhealthy}, as Docker leaves it. */
    void stop(String id) {
        HealthMonitor m = monitors.remove(id);
        if (m != null) {
            m.close();
            last.put(id, m.health());
        }
    }

    void forget(String id) {
        stop(id);
        last.remove(id);
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
