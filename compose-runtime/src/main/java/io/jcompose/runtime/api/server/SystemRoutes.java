package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.model.EventMessage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code _ping}, {@code version}, {@code info} and {@code events}. */
public final class SystemRoutes {

    private SystemRoutes() {}

    /** Registers the routes on {@code router}. */
    public static void register(Router router, SystemBackend system, EventSource events) {
        ApiHandler ping = req -> new ApiResponse.WithHeaders(
                new ApiResponse.Text(200, "text/plain; charset=utf-8", "OK"), pingHeaders());
        router.add("GET", "/_ping", ping);
        router.add("HEAD", "/_ping", ping);
        router.add("GET", "/version", req -> ApiResponse.ok(system.version()));
        router.add("GET", "/info", req -> ApiResponse.ok(system.info()));
        router.add("GET", "/events", req -> events(req, events));
    }

    private static Map<String, String> pingHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Api-Version", ApiVersion.MAX.toString());
        h.put("Ostype", "linux");
        h.put("Docker-Experimental", "false");
        h.put("Builder-Version", "1");
        h.put("Swarm", "inactive");
        h.put("Cache-Control", "no-cache, no-store, must-revalidate");
        h.put("Pragma", "no-cache");
        return h;
    }

    private static ApiResponse events(ApiRequest req, EventSource source) {
        EventFilter filter = new EventFilter(req.filters(EventFilter.KEYS));
        long since = timestamp(req, "since", -1);
        long until = timestamp(req, "until", -1);
        if (until >= 0 && since >= 0 && until < since) {
            throw EngineApiException.badRequest("`since` time (" + req.query("since") + ") cannot be after `until` time (" + req.query("until") + ")");
        }
        // moby replays the buffer when since or until is given (until alone: everything before it)
        long replayFrom = since >= 0 ? since : until >= 0 ? 0 : -1;
        return new ApiResponse.Stream(200, "application/json", out -> {
            LinkedBlockingQueue<EventMessage> queue = new LinkedBlockingQueue<>();
            Thread reader = Thread.currentThread();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            out.onClose(() -> {
                if (!done.get()) {
                    reader.interrupt(); // wake the blocked reader: the client left
                }
            });
            try (AutoCloseable sub = source.subscribe(replayFrom, queue::add)) {
                while (out.isOpen()) {
                    EventMessage ev;
                    if (until >= 0) {
                        long waitNanos = until - nowNanos();
                        ev = queue.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
                        if (ev == null) {
                            return; // until reached
                        }
                    } else {
                        ev = queue.take();
                    }
                    if (until >= 0 && ev.timeNano() > until) {
                        return;
                    }
                    if (filter.include(ev)) {
                        out.writeJsonLine(ev);
                    }
                }
            } catch (InterruptedException e) {
                // the client left
            } finally {
                done.set(true);
                Thread.interrupted();
            }
        });
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * moby's timestamp parameter: {@code seconds[.nanoseconds]} (the CLI turns durations and RFC
     * 3339 into this form); RFC 3339 is accepted too. Returns epoch nanoseconds.
     */
    static long timestamp(ApiRequest req, String name, long dflt) {
        String v = req.query(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            BigDecimal seconds = new BigDecimal(v.trim());
            return seconds.movePointRight(9).longValue();
        } catch (NumberFormatException e) {
            try {
                Instant t = Instant.parse(v.trim());
                return t.getEpochSecond() * 1_000_000_000L + t.getNano();
            } catch (java.time.format.DateTimeParseException e2) {
                throw EngineApiException.badRequest("invalid value for " + name + ": " + v);
            }
        }
    }
}
