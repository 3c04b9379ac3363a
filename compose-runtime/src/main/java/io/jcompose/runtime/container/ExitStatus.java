package io.jcompose.runtime.container;

import java.time.Instant;

/** How a container's process ended: exit code (128+N for signal N), the signal, OOM kill, when. */
public record ExitStatus(int exitCode, int signal, boolean oomKilled, Instant finishedAt) {}
