package io.jcompose.cli;

/**
 * A mistake in how jcompose was called (a flag, a value, an environment variable). {@link Main}
 * prints its message as one line on stderr and exits with 1, as {@code docker compose} does.
 */
public final class UsageException extends CliException {
    /**
     * Creates the error.
     *
     * @param message what is wrong and, where it helps, what to do; one line
     */
    public UsageException(String message) {
        super(message, ExitCodes.USAGE);
    }
}
