package io.jcompose.cli;

import io.jcompose.cli.progress.Terminal;
import io.jcompose.cli.tty.LocalTerminal;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one {@code jcompose} run gets from the process that asked for it, instead of reading the
 * JVM's own globals: the working directory relative paths start from, the environment, standard
 * input, the terminal facts and a source of signals. {@link Main#main} makes the local one (this
 * JVM's), the CLI server ({@link io.jcompose.cli.server.CliServer}) one per client.
 *
 * @param workingDirectory the absolute directory relative paths of the command line start from
 * @param environment the environment ({@code COMPOSE_*}, {@code JCOMPOSE_*}, interpolation)
 * @param stdin standard input ({@code exec}/{@code run} forward it, {@code cp -}, {@code -f -})
 * @param terminals which standard streams are a terminal, and its size
 * @param signals the signals the run may handle (Ctrl-C of an attached {@code up})
 * @param threads the threads the run starts beside its own, ended with the run by whoever made the invocation
 */
public record Invocation(Path workingDirectory, Map<String, String> environment, InputStream stdin, Terminals terminals, Signals signals,
        RunThreads threads) {

    public Invocation {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        if (!workingDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute: " + workingDirectory);
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(terminals, "terminals");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(threads, "threads");
    }

    /**
     * An invocation with a fresh {@link RunThreads}.
     *
     * @param workingDirectory the absolute directory relative paths of the command line start from
     * @param environment the environment
     * @param stdin standard input
     * @param terminals which standard streams are a terminal, and its size
     * @param signals the signals the run may handle
     */
    public Invocation(Path workingDirectory, Map<String, String> environment, InputStream stdin, Terminals terminals, Signals signals) {
        this(workingDirectory, environment, stdin, terminals, signals, new RunThreads());
    }

    /**
     * This JVM's own: its current directory, the given environment and stdin, its terminals
     * (stdin and stdout count as terminals only when they are the process's own), its signals.
     *
     * @param environment the environment
     * @param stdin the standard input
     * @param processStdout whether stdout is the process's own {@code System.out}
     * @return the invocation
     */
    public static Invocation local(Map<String, String> environment, InputStream stdin, boolean processStdout) {
        Terminals t = new Terminals(stdin == System.in && LocalTerminal.isTerminal(0), processStdout && LocalTerminal.isTerminal(1),
                Terminal.stderrIsTerminal(), Terminal::size);
        return new Invocation(Path.of(System.getProperty("user.dir")).toAbsolutePath(), environment, stdin, t, Signals.LOCAL);
    }

    /**
     * A path of the command line, resolved against {@link #workingDirectory()}.
     *
     * @param path as the user typed it
     * @return the absolute, normalised path
     */
    public Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    /**
     * The terminal facts of a run.
     *
     * @param stdin stdin is a terminal (a TTY and raw mode by default for {@code exec}/{@code run})
     * @param stdout stdout is a terminal (compose's default of {@code run -T})
     * @param stderr stderr is a terminal (where the progress display draws)
     * @param size the size of stderr's terminal, {@code {columns, rows}} (80x24 when unknown)
     */
    public record Terminals(boolean stdin, boolean stdout, boolean stderr, Supplier<int[]> size) {
        /** No terminal at all (output to files or pipes, as in tests). */
        public static final Terminals NONE = new Terminals(false, false, false,
                () -> new int[] {Terminal.DEFAULT_WIDTH, Terminal.DEFAULT_HEIGHT});
    }
}
