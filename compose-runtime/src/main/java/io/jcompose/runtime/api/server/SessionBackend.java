package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.model.SessionInfo;
import io.jcompose.runtime.api.model.SessionReapReport;

/**
 * Port: client sessions whose labelled objects are removed once no client holds them (the
 * reaper; {@code docs/reaper.md}).
 */
public interface SessionBackend {

    /**
     * Takes a lease on a session.
     *
     * @param sessionId a checked session id ({@link Sessions#checkId})
     * @param keepAlive the lease's keep-alive, or null for the daemon's default
     */
    Lease acquire(String sessionId, Sessions.KeepAlive keepAlive);

    /** One connection's hold on a session. Exactly one of {@link #end()} and {@link #drop()} is called. */
    interface Lease {

        /** What the client is told when the lease begins. */
        SessionInfo info();

        /**
         * The client ended the lease in order: if it was the last one and the keep-alive is not
         * {@code forever}, the session is reaped now.
         */
        SessionReapReport end();

        /** The connection was lost: the last lease gone starts the keep-alive timer. */
        void drop();
    }
}
