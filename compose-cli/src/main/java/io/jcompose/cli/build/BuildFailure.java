package io.jcompose.cli.build;

/**
 * A build that failed, with the exit status compose gives it: the failed {@code RUN}'s status
 * when the builder reports one ({@code errorDetail.code}), else 1.
 */
public final class BuildFailure extends RuntimeException {
    private final int exitCode;

    /**
     * @param message the one line to show
     * @param exitCode the process exit status
     */
    public BuildFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit status. */
    public int exitCode() {
        return exitCode;
    }
}
