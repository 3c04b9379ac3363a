package io.jcompose.cli;

import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.cli.progress.ProgressMode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The training run of the CLI's AOT cache (scripts/make-aot-cache): one JVM goes through the
 * typical paths — version, help, a sub-command's help, global flags, a usage error, each progress
 * display — so their classes are loaded, linked and profiled into the cache. Output is discarded.
 */
public final class AotTraining {
    private static final List<String[]> COMMANDS = List.of(
            new String[] {"version"},
            new String[] {"--help"},
            new String[] {"version", "--help"},
            new String[] {"version", "--format", "json"},
            new String[] {"-f", "compose.yaml", "-f", "override.yaml", "-p", "demo", "--profile", "dev",
                    "--env-file", ".env", "--project-directory", ".", "--ansi", "never", "--progress", "plain",
                    "--parallel", "4", "--dry-run", "version", "--short"},
            new String[] {"--no-such-flag"},
            new String[] {"no-such-command"});

    private AotTraining() {}

    /**
     * Runs the training paths.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("COMPOSE_PROJECT_NAME", "training");
        for (String[] command : COMMANDS) {
            Main.run(sink, sink, env, command);
        }
        for (ProgressMode mode : List.of(ProgressMode.TTY, ProgressMode.PLAIN, ProgressMode.JSON)) {
            Progress p = Progress.open(mode, sink, true, false, true, io.jcompose.cli.progress.Terminal::size);
            p.start("up");
            p.on(ProgressEvent.creating("Network training_default"), ProgressEvent.created("Network training_default"));
            p.on(ProgressEvent.creating("Container training-app-1"), ProgressEvent.started("Container training-app-1"),
                    ProgressEvent.error("Container training-db-1", "training"));
            p.done("up", false);
        }
    }
}
