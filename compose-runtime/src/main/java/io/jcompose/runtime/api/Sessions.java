package io.jcompose.runtime.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session-lease protocol shared by the daemon ({@code io.jcompose.runtime.reaper}) and the
 * client ({@link io.jcompose.runtime.api.client.SessionLease}); see {@code docs/reaper.md}.
 *
 * <p>Objects (containers, networks, volumes) carrying the label {@link #LABEL} {@code =<session>}
 * belong to a client session. A client holds the session by keeping one hijacked connection open:
 * {@code POST /jcompose/sessions/<id>?keepalive=10s} with {@code Upgrade: tcp}. The daemon answers
 * {@code 101 UPGRADED} and one JSON line ({@code SessionInfo}). The client ends the lease in order
 * by sending {@link #END_LINE}; the daemon then answers one JSON line ({@code SessionReapReport})
 * and closes. A connection that simply drops (the client crashed) starts the keep-alive timer.
 */
public final class Sessions {

    /** The label that ties an object to a client session. */
    public static final String LABEL = "io.jcompose.session";

    /**
     * Environment variable of a CLI command: {@code up} puts {@link #LABEL}{@code =<its value>} on
     * everything it creates, so a client that holds the lease (compose-testing's session, handing
     * {@code up} to the CLI server) has those objects reaped when it dies.
     */
    public static final String SESSION_VARIABLE = "JCOMPOSE_SESSION";

    /** The lease endpoint's path prefix (not a Docker API path: clients cannot confuse it). */
    public static final String PATH_PREFIX = "/jcompose/sessions/";

    /** The query parameter naming the lease's keep-alive. */
    public static final String KEEPALIVE_PARAM = "keepalive";

    /** What a client sends to end its lease in order. */
    public static final String END_LINE = "end\n";

    /** The default time a session survives its last connection. */
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(10);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private Sessions() {}

    /**
     * Checks a session id: 1–128 characters of {@code [A-Za-z0-9_.-]}, starting with a letter or
     * digit (it travels in a path and a label value).
     *
     * @throws IllegalArgumentException naming the id
     */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
            throw new IllegalArgumentException("invalid session id \"" + id
                    + "\": use 1-128 characters of letters, digits, '_', '.', '-', starting with a letter or digit");
        }
        return id;
    }

    /**
     * How long a session outlives its last connection: a duration, or forever (a debugging switch
     * that keeps the session's objects until someone removes them).
     *
     * @param duration the time, or null for forever
     */
    public record KeepAlive(Duration duration) {

        /** Never reap (debugging). */
        public static final KeepAlive FOREVER = new KeepAlive(null);

        private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

        public KeepAlive {
            if (duration != null && duration.isNegative()) {
                throw new IllegalArgumentException("keep-alive must not be negative: " + duration);
            }
        }

        /** A finite keep-alive. */
        public static KeepAlive of(Duration d) {
            return new KeepAlive(d);
        }

        /** True for {@link #FOREVER}. */
        public boolean forever() {
            return duration == null;
        }

        /**
         * Parses {@code forever} or a Go duration ({@code 10s}, {@code 500ms}, {@code 1m30s}, {@code 0s}).
         *
         * @throws IllegalArgumentException with what is wrong and what is accepted
         */
        public static KeepAlive parse(String text) {
            String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            if (s.equals("forever") || s.equals("infinite")) {
                return FOREVER;
            }
            if (s.equals("0")) {
                return of(Duration.ZERO);
            }
            Matcher m = PART.matcher(s);
            int at = 0;
            double nanos = 0;
            while (at < s.length() && m.find(at) && m.start() == at) {
                double v = Double.parseDouble(m.group(1));
                nanos += v * switch (m.group(2)) {
                    case "ns" -> 1;
                    case "us", "µs" -> 1e3;
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                };
                at = m.end();
            }
            if (s.isEmpty() || at != s.length()) {
                throw new IllegalArgumentException("invalid keep-alive \"" + text + "\": use a duration such as 10s, 500ms, 2m, or forever");
            }
            return of(Duration.ofNanos((long) nanos));
        }

        /** {@code forever} or a Go-style duration ({@code 10s}, {@code 1.5s}, {@code 250ms}). */
        @Override
        public String toString() {
            if (forever()) {
                return "forever";
            }
            long ms = duration.toMillis();
            if (ms % 1000 == 0) {
                return ms / 1000 + "s";
            }
            return ms < 1000 ? ms + "ms" : (ms / 1000.0) + "s";
        }
    }
}
