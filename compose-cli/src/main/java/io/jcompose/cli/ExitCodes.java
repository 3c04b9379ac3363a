package io.jcompose.cli;

/**
 * Exit codes, the same as {@code docker compose} v2 returns them (docs/cli.md lists where each
 * comes from).
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Any failure, including unknown flags, unknown commands and bad flag values. */
    public static final int USAGE = 1;
    /** A general error while carrying out a command. */
    public static final int FAILURE = 1;
    /** An image pull failed ({@code pull}, {@code up --pull}): compose's PullFailure. */
    public static final int PULL_FAILURE = 18;
    /** Interrupted by SIGINT/SIGTERM (Ctrl-C): 128 + SIGINT. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
