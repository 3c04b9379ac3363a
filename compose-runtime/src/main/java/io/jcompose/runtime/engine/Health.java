package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.model.ContainerState;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.container.ExecProcess;
import io.jcompose.runtime.container.ExecSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's health checks (RUNTIME-FACTS §6), run by the daemon: one probe loop per running
 * container with a health check; status {@code starting} at each start, {@code healthy} on a
 * probe exiting 0, {@code unhealthy} after {@code retries} failures in a row (failures during the
 * start period while starting do not count), the last 5 results kept, an event on each change.
 */
final class Health {

    private static final Logger LOG = LoggerFactory.getLogger(Health.class);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    static final int DEFAULT_RETRIES = 3;
    private static final int MAX_OUTPUT = 4096;
    private static final int MAX_LOG = 5;

    /** Runs a probe in a container. */
    @FunctionalInterface
    interface Prober {
        ExecProcess exec(String containerId, ExecSpec spec) throws IOException;
    }

    private static final class Monitor {
        volatile String status = "starting";
        volatile int failingStreak;
        final List<ContainerState.HealthLog> log = new ArrayList<>();
        volatile Thread thread;
    }

    private final Prober prober;
    private final EventSink events;
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();

    Health(Prober prober, EventSink events) {
        this.prober = prober;
        this.events = events;
    }

    /** Whether a config asks for health checking ({@code NONE} or no test: no). */
    static boolean enabled(HealthConfig h) {
        return h != null && h.test() != null && !h.test().isEmpty() && !h.test().getFirst().equals("NONE")
                && (h.test().getFirst().equals("CMD") || h.test().getFirst().equals("CMD-SHELL")) && h.test().size() > 1;
    }

    /** Field-wise inheritance: zero fields and an empty test take the image's values. */
    static HealthConfig merge(HealthConfig request, HealthConfig image) {
        if (request == null) {
            return image;
        }
        if (image == null) {
            return request;
        }
        return new HealthConfig(request.test() == null || request.test().isEmpty() ? image.test() : request.test(),
                nonZero(request.interval(), image.interval()), nonZero(request.timeout(), image.timeout()),
                nonZero(request.startPeriod(), image.startPeriod()), nonZero(request.startInterval(), image.startInterval()),
                request.retries() == null || request.retries() == 0 ? image.retries() : request.retries());
    }

    private static Long nonZero(Long a, Long b) {
        return a == null || a == 0 ? b : a;
    }

    /** Starts probing a container that just started (status {@code starting}). */
    void start(String id, HealthConfig h, List<String> shell, Map<String, String> eventAttributes) {
        stop(id, false);
        if (!enabled(h)) {
            return;
        }
        Monitor m = new Monitor();
        monitors.put(id, m);
        m.thread = Thread.ofVirtual().name("health-" + id.substring(0, 12)).start(() -> loop(id, h, shell, m, eventAttributes));
    }

    /** Stops probing; after a stop the status is {@code unhealthy}, as Docker sets it. */
    void stop(String id, boolean markUnhealthy) {
        Monitor m = markUnhealthy ? monitors.get(id) : monitors.remove(id);
        if (m != null) {
            if (m.thread != null) {
                m.thread.interrupt();
            }
            if (markUnhealthy) {
                m.status = "unhealthy";
            }
        }
    }

    void forget(String id) {
        stop(id, false);
        monitors.remove(id);
    }

    /** The Health object of inspect, or null when the container has no health check. */
    ContainerState.Health of(String id) {
        Monitor m = monitors.get(id);
        if (m == null) {
            return null;
        }
        synchronized (m.log) {
            return new ContainerState.Health(m.status, m.failingStreak, List.copyOf(m.log));
        }
    }

    /** {@code healthy}, {@code unhealthy}, {@code starting}, or {@code none}. */
    String status(String id) {
        Monitor m = monitors.get(id);
        return m == null ? "none" : m.status;
    }

    private void loop(String id, HealthConfig h, List<String> shell, Monitor m, Map<String, String> attrs) {
        Duration interval = dur(h.interval(), DEFAULT_INTERVAL);
        Duration timeout = dur(h.timeout(), DEFAULT_TIMEOUT);
        Duration startPeriod = dur(h.startPeriod(), Duration.ZERO);
        Duration startInterval = dur(h.startInterval(), DEFAULT_START_INTERVAL);
        int retries = h.retries() == null || h.retries() <= 0 ? DEFAULT_RETRIES : h.retries();
        Instant started = Instant.now();
        List<String> cmd = new ArrayList<>();
        if (h.test().getFirst().equals("CMD")) {
            cmd.addAll(h.test().subList(1, h.test().size()));
        } else {
            cmd.addAll(shell == null || shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
            cmd.add(String.join(" ", h.test().subList(1, h.test().size())));
        }
        try {
            while (!Thread.currentThread().isInterrupted()) {
                boolean inStart = Duration.between(started, Instant.now()).compareTo(startPeriod) < 0;
                Thread.sleep(m.status.equals("starting") && inStart ? startInterval : interval);
                inStart = Duration.between(started, Instant.now()).compareTo(startPeriod) < 0;
                probe(id, cmd, timeout, retries, inStart, m, attrs);
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private void probe(String id, List<String> cmd, Duration timeout, int retries, boolean inStartPeriod, Monitor m,
            Map<String, String> attrs) throws InterruptedException {
        Instant start = Instant.now();
        int exit;
        String output;
        try {
            ExecProcess p = prober.exec(id, new ExecSpec(cmd, null, null, null, false, false));
            p.process().getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread err = Thread.ofVirtual().start(() -> copy(p.process().getErrorStream(), out));
            Thread std = Thread.ofVirtual().start(() -> copy(p.process().getInputStream(), out));
            if (p.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                std.join(1000);
                err.join(1000);
                exit = p.process().exitValue();
                output = truncate(out);
            } else {
                p.process().destroyForcibly();
                exit = -1;
                String partial = truncate(out);
                output = "Health check exceeded timeout (" + timeout.toSeconds() + "s)" + (partial.isEmpty() ? "" : ": " + partial);
            }
        } catch (IOException | RuntimeException e) {
            exit = -1;
            output = String.valueOf(e.getMessage());
        }
        String before = m.status;
        synchronized (m.log) {
            m.log.add(new ContainerState.HealthLog(Containers.rfc3339Nano(start), Containers.rfc3339Nano(Instant.now()), exit, output));
            while (m.log.size() > MAX_LOG) {
                m.log.removeFirst();
            }
        }
        if (exit == 0) {
            m.failingStreak = 0;
            m.status = "healthy";
        } else if (!(inStartPeriod && before.equals("starting"))) {
            m.failingStreak++;
            if (m.failingStreak >= retries) {
                m.status = "unhealthy";
            }
        }
        if (!m.status.equals(before)) {
            LOG.debug("container {} is {}", id, m.status);
            events.publish(EventSink.event("container", "health_status: " + m.status, id, attrs));
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                synchronized (out) {
                    out.write(b, 0, n);
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    private static String truncate(ByteArrayOutputStream out) {
        byte[] b;
        synchronized (out) {
            b = out.toByteArray();
        }
        if (b.length > MAX_OUTPUT) {
            return new String(b, 0, MAX_OUTPUT, StandardCharsets.UTF_8) + "...";
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Duration dur(Long nanos, Duration dflt) {
        return nanos == null || nanos <= 0 ? dflt : Duration.ofNanos(nanos);
    }
}
