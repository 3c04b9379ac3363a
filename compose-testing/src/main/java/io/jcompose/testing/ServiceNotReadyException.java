package io.jcompose.testing;

import java.util.List;

/**
 * A service did not become ready: it exited, turned unhealthy, or its wait timed out. The message
 * names the service and the reason and ends with the service's last log lines, so a failing test
 * shows why without a second look at the engine.
 */
public final class ServiceNotReadyException extends ComposeException {
    private static final long serialVersionUID = 1L;

    /** How many log lines the message carries. */
    public static final int LOG_LINES = 20;

    private final String service;
    private final String reason;
    private final List<String> lastLogLines;

    /**
     * @param service the service that did not become ready
     * @param container the container whose logs are shown, or null when it has none
     * @param reason why (timeout, exit code, unhealthy)
     * @param lastLogLines its last log lines (at most {@link #LOG_LINES})
     * @param cause the underlying failure, or null
     */
    public ServiceNotReadyException(String service, String container, String reason, List<String> lastLogLines, Throwable cause) {
        super(message(service, container, reason, lastLogLines), cause);
        this.service = service;
        this.reason = reason;
        this.lastLogLines = List.copyOf(lastLogLines);
    }

    /** The service that did not become ready. */
    public String service() {
        return service;
    }

    /** Why it did not. */
    public String reason() {
        return reason;
    }

    /** Its last log lines, oldest first. */
    public List<String> lastLogLines() {
        return lastLogLines;
    }

    static String message(String service, String container, String reason, List<String> lines) {
        StringBuilder b = new StringBuilder("service \"").append(service).append("\" did not become ready: ").append(reason);
        if (container == null) {
            return b.toString();
        }
        if (lines.isEmpty()) {
            return b.append("\n(container ").append(container).append(" logged nothing)").toString();
        }
        b.append("\nlast ").append(lines.size()).append(" log lines of ").append(container).append(':');
        for (String l : lines) {
            b.append("\n  | ").append(l);
        }
        return b.toString();
    }
}
