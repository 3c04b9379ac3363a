package io.jcompose.cli;

import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.cli.progress.ProgressMode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run of the CLI's AOT cache (scripts/make-aot-cache): one JVM goes through the
 * typical paths — version, help, a sub-command's help, global flags, a usage error, each progress
 * display — so their classes are loaded, linked and profiled into the cache. Output is discarded.
 *
 * <p>Given a Compose file, it also runs the commands users run most on a real project and engine
 * ({@code config}, {@code up -d}, {@code ps}, {@code down}): the YAML loader, the model, the JSON
 * stack and the engine client are then in the cache too. The engine is the one
 * {@code JCOMPOSE_HOST} names (the script starts a private jcomposed for this); a command that
 * fails is reported on stderr and the training goes on (the cache is then only less complete).
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

    /** The real commands, each after {@code -p <project> -f <file>}; down last, so nothing stays. */
    private static final List<List<String>> PROJECT_COMMANDS = List.of(
            List.of("config"),
            List.of("config", "--services"),
            List.of("up", "-d"),
            List.of("ps"),
            List.of("ps", "-a", "--format", "json"),
            List.of("down", "-v", "-t", "0"));

    private AotTraining() {}

    /**
     * Runs the training paths.
     *
     * @param args none, or a Compose file to run the real commands on (with the engine of this
     *     process's {@code JCOMPOSE_HOST} / {@code JCOMPOSE_DAEMON_CONFIG})
     */
    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("COMPOSE_PROJECT_NAME", "training");
        for (String[] command : COMMANDS) {
            Main.run(sink, sink, env, command);
        }
        if (args.length > 0) {
            int failed = 0;
            for (List<String> command : PROJECT_COMMANDS) {
                List<String> argv = new ArrayList<>(List.of("-p", "aot-training", "-f", args[0], "--progress", "plain"));
                argv.addAll(command);
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Main.run(sink, new PrintStream(err, true, StandardCharsets.UTF_8), System.getenv(), argv.toArray(String[]::new));
                if (code != 0) {
                    failed++;
                    System.err.println("aot-training: `jcompose " + String.join(" ", command) + "` exited " + code + ": "
                            + err.toString(StandardCharsets.UTF_8).strip());
                }
            }
            if (failed > 0) {
                System.exit(3); // the script says the cache is trained without the engine paths
            }
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
