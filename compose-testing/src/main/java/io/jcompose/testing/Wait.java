package io.jcompose.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The readiness checks a test can ask for per service, with {@link ComposeProject#waitingFor}:
 * a log line, an open TCP port, an HTTP 2xx. Ports are the container's own (not published ones):
 * they are checked on the container's address on the project network, which the host reaches on
 * Linux, so a check never passes early because a port proxy accepted the connection.
 */
public final class Wait {
    /** The timeout of a strategy made without {@code withTimeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Wait() {}

    /**
     * Ready once a line of the service's output matches {@code regex} (found anywhere in the line).
     *
     * @param regex a {@link Pattern} expression
     * @return the strategy
     */
    public static LogLine forLogLine(String regex) {
        return new LogLine(Pattern.compile(regex), DEFAULT_TIMEOUT);
    }

    /**
     * Ready once the container accepts TCP connections on {@code port}.
     *
     * @param port the container's port
     * @return the strategy
     */
    public static Port forPort(int port) {
        return new Port(port, DEFAULT_TIMEOUT);
    }

    /**
     * Ready once {@code GET http://<container ip>:<port><path>} answers 2xx.
     *
     * @param path the request path, starting with {@code /}
     * @param port the container's port
     * @return the strategy
     */
    public static Http forHttp(String path, int port) {
        return new Http(path, port, DEFAULT_TIMEOUT);
    }

    private static Duration checked(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a wait timeout must be positive, not " + timeout);
        }
        return timeout;
    }

    private static int checkedPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        return port;
    }

    /**
     * A line of output matching a pattern.
     *
     * @param pattern what a line must contain
     * @param timeout how long to wait at most
     */
    public record LogLine(Pattern pattern, Duration timeout) implements WaitStrategy {
        /** Checks the arguments. */
        public LogLine {
            Objects.requireNonNull(pattern, "pattern");
            timeout = checked(timeout);
        }

        @Override
        public LogLine withTimeout(Duration t) {
            return new LogLine(pattern, t);
        }

        @Override
        public String describe() {
            return "a log line matching \"" + pattern.pattern() + "\"";
        }
    }

    /**
     * A TCP port that accepts connections.
     *
     * @param port the container's port
     * @param timeout how long to wait at most
     */
    public record Port(int port, Duration timeout) implements WaitStrategy {
        /** Checks the arguments. */
        public Port {
            checkedPort(port);
            timeout = checked(timeout);
        }

        @Override
        public Port withTimeout(Duration t) {
            return new Port(port, t);
        }

        @Override
        public String describe() {
            return "port " + port + "/tcp to accept connections";
        }
    }

    /**
     * An HTTP endpoint answering 2xx.
     *
     * @param path the request path
     * @param port the container's port
     * @param timeout how long to wait at most
     */
    public record Http(String path, int port, Duration timeout) implements WaitStrategy {
        /** Checks the arguments. */
        public Http {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("an HTTP wait path must start with '/', not \"" + path + "\"");
            }
            checkedPort(port);
            timeout = checked(timeout);
        }

        @Override
        public Http withTimeout(Duration t) {
            return new Http(path, port, t);
        }

        @Override
        public String describe() {
            return "GET " + path + " on port " + port + " to answer 2xx";
        }
    }
}
