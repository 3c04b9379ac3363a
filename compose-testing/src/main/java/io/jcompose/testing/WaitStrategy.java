package io.jcompose.testing;

import java.time.Duration;

/**
 * When a service counts as ready beyond what its {@code depends_on}/health check says; made by
 * {@link Wait}. Every strategy has a timeout; missing it fails {@link ComposeProject#up()} with a
 * {@link ServiceNotReadyException} carrying the service's last log lines.
 */
public sealed interface WaitStrategy permits Wait.LogLine, Wait.Port, Wait.Http {

    /** How long to wait at most. */
    Duration timeout();

    /**
     * The same strategy with another timeout.
     *
     * @param timeout how long to wait at most
     * @return the new strategy
     */
    WaitStrategy withTimeout(Duration timeout);

    /** What is awaited, for messages ({@code log line matching "ready"}). */
    String describe();
}
