package io.jcompose.runtime.supervise;

import io.jcompose.runtime.api.model.ContainerState;
import io.jcompose.runtime.container.LogTimes;
import java.time.Instant;

/**
 * One probe's result, an entry of {@code State.Health.Log} ({@code Start}, {@code End},
 * {@code ExitCode}, {@code Output} in the Engine API's JSON).
 *
 * @param exitCode 0 healthy; anything else is a failure (−1: timeout or the probe could not run)
 * @param output   stdout and stderr combined, at most {@value ProbeOutput#MAX_BYTES} bytes then {@code ...}
 */
public record HealthResult(Instant start, Instant end, int exitCode, String output) {

    /** The inspect form (times in Go's RFC3339Nano). */
    public ContainerState.HealthLog toApi() {
        return new ContainerState.HealthLog(LogTimes.format(start), LogTimes.format(end), exitCode, output);
    }
}
