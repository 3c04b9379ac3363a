package io.jcompose.runtime.supervise;

import io.jcompose.runtime.container.ExitStatus;

/** What a {@link RestartSupervisor} reports; the daemon turns it into events and stops health monitors. */
public interface RestartListener {

    /**
     * The container's process exited (Docker's {@code die} event); {@code restarting} says whether
     * a restart is scheduled (State.Restarting is true until it happens).
     */
    default void exited(String id, ExitStatus exit, boolean restarting) {}

    /** The supervisor started it again; {@code restartCount} is the new RestartCount. */
    default void restarted(String id, int restartCount) {}

    /** A scheduled restart failed to start: the container stays exited, no further restarts. */
    default void restartFailed(String id, Exception error) {}

    RestartListener NONE = new RestartListener() {};
}
