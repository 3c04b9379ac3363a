package io.jcompose.runtime.supervise;

import java.util.List;

/**
 * What a {@link HealthMonitor} reports; the daemon publishes container events from it
 * ({@code exec_create: <cmd>} for each probe, {@code health_status: <status>} on each change).
 */
public interface HealthListener {

    /** The health status changed (Docker emits {@code health_status: healthy|unhealthy|starting}). */
    void statusChanged(String containerId, Health.Status status);

    /** A probe is about to run (Docker emits {@code exec_create: <argv joined by spaces>}). */
    default void probeStarting(String containerId, List<String> command) {}

    /** A probe's result was recorded: the whole health after it (the daemon persists it, as Docker checkpoints it). */
    default void recorded(String containerId, Health health) {}

    /** Drops everything. */
    HealthListener NONE = (id, status) -> {};
}
