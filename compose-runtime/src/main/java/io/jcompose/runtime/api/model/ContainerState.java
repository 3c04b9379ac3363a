package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code State} of inspect. Status ∈ created|running|paused|restarting|removing|exited|dead;
 * times RFC 3339 with nanoseconds, {@code 0001-01-01T00:00:00Z} for never.
 */
public record ContainerState(
        String status,
        boolean running,
        boolean paused,
        boolean restarting,
        @JsonProperty("OOMKilled") boolean oomKilled,
        boolean dead,
        long pid,
        int exitCode,
        String error,
        String startedAt,
        String finishedAt,
        Health health) {

    /** The "never" time. */
    public static final String NEVER = "0001-01-01T00:00:00Z";

    /** Health status ∈ none|starting|healthy|unhealthy, with the last probe results. */
    public record Health(String status, int failingStreak, List<HealthLog> log) {}

    public record HealthLog(String start, String end, int exitCode, String output) {}
}
