package io.jcompose.testing;

import io.jcompose.runtime.api.client.SessionLease;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one place that opens a session lease on the daemon (the reaper's client,
 * {@code io.jcompose.runtime.api.client.SessionLease}): while it is held, the engine keeps the
 * session's objects; once the JVM is gone (even by {@code kill -9}) and the keep-alive ran out, the
 * engine's reaper removes everything labelled with the session.
 */
final class SessionLeases {
    private SessionLeases() {}

    /**
     * @param socket the engine's API socket
     * @param sessionId the session ({@link ComposeSession#id()})
     * @param keepAlive how long the objects outlive the lease
     * @return the lease; closing it ends the session in order (the engine then removes what is left)
     */
    static AutoCloseable open(Path socket, String sessionId, Duration keepAlive) {
        try {
            return SessionLease.open(socket, sessionId, keepAlive);
        } catch (RuntimeException e) {
            // an engine without leases (another Docker-API daemon): the shutdown hook still cleans up
            System.err.println("jcompose: no session lease at " + socket + " (" + e.getMessage()
                    + "); stacks of a killed JVM will not be reaped there");
            return () -> {};
        }
    }
}
