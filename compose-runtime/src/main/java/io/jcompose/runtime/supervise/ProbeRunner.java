package io.jcompose.runtime.supervise;

import java.time.Duration;
import java.util.List;

/**
 * Runs one health probe in a container and reports its exit code and output; the daemon's is
 * {@link ExecProbeRunner} (an exec through the container engine).
 */
@FunctionalInterface
public interface ProbeRunner {

    /**
     * Runs {@code command} and waits at most {@code timeout}; on timeout the probe is killed and the
     * result is {@link ProbeOutput#timedOut}. A probe that cannot run at all yields exit code −1
     * and the error as output (as moby does).
     *
     * @throws InterruptedException the monitor was stopped; the probe has been killed
     */
    Result run(List<String> command, Duration timeout) throws InterruptedException;

    /** Exit code and (already truncated) output. */
    record Result(int exitCode, String output) {}
}
