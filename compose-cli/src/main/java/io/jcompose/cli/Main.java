package io.jcompose.cli;

import picocli.CommandLine;

/** Entry point of the {@code jcompose} command line. */
public final class Main {
    private Main() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param args the command-line arguments
     * @return the exit code, as {@code docker compose} would return it
     */
    public static int run(String... args) {
        return new CommandLine(new JcomposeCommand()).execute(args);
    }
}
