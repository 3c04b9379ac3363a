package io.jcompose.runtime.container;

import java.time.Instant;

/**
 * What {@code inspect} reports, read from the state files the shim writes (the truth after an
 * engine restart).
 *
 * @param status     created, running, paused, exited (Docker's state strings)
 * @param pid        host pid of the container's process while running, else 0
 * @param exitCode   last exit code (128+N for signal N; 126/127/128 for a failed start)
 * @param oomKilled  an OOM kill happened in the container's cgroup during the last run
 * @param error      the start error, empty if none
 * @param startedAt  last start, null if never started
 * @param finishedAt last exit, null if not exited
 */
public record ContainerState(Status status, int pid, int exitCode, boolean oomKilled, String error,
                             Instant startedAt, Instant finishedAt) {

    /** Docker's state strings that apply to the process side. */
    public enum Status {
        CREATED, RUNNING, PAUSED, EXITED;

        /** Lower case, as Docker shows it. */
        public String dockerName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean running() {
        return status == Status.RUNNING || status == Status.PAUSED;
    }
}
