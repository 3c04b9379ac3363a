package io.jcompose.cli;

/**
 * An error meant for the user: {@link Main} prints its message as one line on stderr (no stack
 * trace unless {@code JCOMPOSE_DEBUG} is set) and exits with {@link #exitCode()}.
 * Commands throw it (or a subclass) for every failure a user can act on.
 */
public class CliException extends RuntimeException {
    private final int exitCode;

    /**
     * Creates the error.
     *
     * @param message one line saying what went wrong and what to do
     * @param exitCode the process exit code, see {@link ExitCodes}
     */
    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * Creates the error with the exception that caused it (shown only with {@code JCOMPOSE_DEBUG}).
     *
     * @param message one line saying what went wrong and what to do
     * @param exitCode the process exit code, see {@link ExitCodes}
     * @param cause the underlying exception
     */
    public CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * The exit code jcompose ends with.
     *
     * @return a code from {@link ExitCodes} or a container's own exit code
     */
    public int exitCode() {
        return exitCode;
    }
}
