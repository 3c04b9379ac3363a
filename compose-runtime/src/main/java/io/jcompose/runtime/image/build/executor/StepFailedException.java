package io.jcompose.runtime.image.build.executor;

import java.util.List;

/**
 * A RUN whose command failed. The message is the classic builder's
 * ({@code The command '/bin/sh -c false' returned a non-zero code: 1}), which is what
 * {@code docker build} prints and scripts match on.
 */
public final class StepFailedException extends RuntimeException {
  private final int exitCode;

  /**
   * @param argv the command as run (the shell prepended for shell form)
   * @param exitCode its exit code (126/127/128 when it could not start)
   * @param detail why it could not start, or null when it ran and failed
   */
  public StepFailedException(List<String> argv, int exitCode, String detail) {
    super(detail == null
        ? "The command '" + String.join(" ", argv) + "' returned a non-zero code: " + exitCode
        : detail);
    this.exitCode = exitCode;
  }

  /** The command's exit code. */
  public int exitCode() {
    return exitCode;
  }
}
