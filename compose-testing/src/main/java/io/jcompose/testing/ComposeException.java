package io.jcompose.testing;

/**
 * Why a stack could not be brought up, reached or taken down: one message for the test report
 * (a bad Compose file with its location, an engine that does not answer, a service that did not
 * become ready with its last log lines).
 */
public class ComposeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, for the test report
     * @param cause the underlying failure, or null
     */
    public ComposeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what went wrong, for the test report
     */
    public ComposeException(String message) {
        super(message);
    }
}
