package io.jcompose.runtime.container;

/**
 * A container operation that failed for a reason the user can act on. {@link #exitCode()} is
 * Docker's State.ExitCode for a failed start (126 cannot execute, 127 not found, 128 other).
 */
public class ContainerException extends RuntimeException {
    private final int exitCode;

    public ContainerException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public ContainerException(String message) {
        this(message, 0);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Unknown container id. */
    public static final class NotFound extends ContainerException {
        public NotFound(String id) {
            super("No such container: " + id);
        }
    }
}
