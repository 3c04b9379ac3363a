package io.jcompose.cli;

import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code jcompose} command: the {@code docker compose} command set and its global
 * flags. Its sub-commands are added by {@link CommandTree} (all of them, or only the one a run names). Sub-commands reach the resolved options with
 * {@code @ParentCommand JcomposeCommand root; ... root.globalOptions()}.
 */
@Command(
        name = "jcompose",
        versionProvider = io.jcompose.cli.command.VersionCommand.Provider.class,
        description = "Define and run multi-container applications, on jcompose's own engine.",
        customSynopsis = "jcompose [OPTIONS] COMMAND")
public final class JcomposeCommand implements Runnable {
    @Spec CommandSpec spec;

    @Mixin GlobalFlags flags;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, hidden = true,
            description = "Show the jcompose version information")
    boolean version;

    // Set once per run by bind: a tree may be built before the run it serves (see CommandTree).
    private Invocation invocation;
    private PrintStream out;
    private PrintStream err;
    private GlobalOptions options;

    /** Creates the command unbound: {@link #bind} gives it its run before it parses anything. */
    JcomposeCommand() {}

    /**
     * Creates the command for one run without stdin or terminals, in this JVM's directory.
     *
     * @param env the environment the {@code COMPOSE_*} defaults are read from
     * @param out stdout as bytes, for binary results ({@code cp SERVICE:PATH -} writes a tar)
     * @param err where progress displays draw (compose draws on stderr; UTF-8, for ✔ and the spinner)
     */
    public JcomposeCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this(new Invocation(java.nio.file.Path.of(System.getProperty("user.dir")).toAbsolutePath(), env, InputStream.nullInputStream(),
                Invocation.Terminals.NONE, Signals.LOCAL), out, err);
    }

    /**
     * Creates the command for one run.
     *
     * @param invocation the run's directory, environment, stdin, terminals and signals
     * @param out stdout as bytes, for binary results ({@code cp SERVICE:PATH -} writes a tar)
     * @param err where progress displays draw
     */
    public JcomposeCommand(Invocation invocation, PrintStream out, PrintStream err) {
        bind(invocation, out, err);
    }

    /**
     * Gives an unbound command the run it serves; a command serves one run only.
     *
     * @throws IllegalStateException when it already has one
     */
    synchronized void bind(Invocation invocation, PrintStream out, PrintStream err) {
        if (this.invocation != null) {
            throw new IllegalStateException("a jcompose command tree serves one run only");
        }
        this.invocation = java.util.Objects.requireNonNull(invocation, "invocation");
        this.out = java.util.Objects.requireNonNull(out, "out");
        this.err = java.util.Objects.requireNonNull(err, "err");
    }

    /**
     * What this run got from the process that asked for it.
     *
     * @return the invocation
     */
    public Invocation invocation() {
        return invocation;
    }

    /**
     * The stdout given to {@link Main#run}, for bytes (text goes through picocli's writer).
     *
     * @return the stream
     */
    public PrintStream outputStream() {
        return out;
    }

    /**
     * The stream progress displays draw on: the stderr given to {@link Main#run}.
     *
     * @return the stream
     */
    public PrintStream progressStream() {
        return err;
    }

    /**
     * Whether stdin is the user's terminal.
     *
     * @return true on a terminal
     */
    public boolean stdinTerminal() {
        return invocation.terminals().stdin();
    }

    /**
     * Whether stdout is the user's terminal.
     *
     * @return true on a terminal
     */
    public boolean stdoutTerminal() {
        return invocation.terminals().stdout();
    }

    /**
     * The standard input of this run ({@link System#in} from {@link Main#main}).
     *
     * @return the stream
     */
    public InputStream stdin() {
        return invocation.stdin();
    }

    /**
     * The signals of this run (never {@code sun.misc.Signal} directly: a run may be one of many
     * in the daemon).
     *
     * @return the signal source
     */
    public Signals signals() {
        return invocation.signals();
    }

    /**
     * A path from the command line, resolved against the run's working directory.
     *
     * @param path as typed
     * @return the absolute path
     */
    public Path resolve(String path) {
        return invocation.resolve(path);
    }

    /**
     * Opens the progress display the global options ask for, on this run's stderr and terminal.
     *
     * @param detached whether the command leaves containers running without following their logs
     * @return the display
     */
    public io.jcompose.cli.progress.Progress openProgress(boolean detached) {
        return globalOptions().openProgress(err, detached, invocation.terminals());
    }

    /**
     * The global options of this run, resolved once from the flags and the environment.
     *
     * @return the options
     * @throws UsageException when a flag or {@code COMPOSE_*} variable has a bad value
     */
    public synchronized GlobalOptions globalOptions() {
        if (options == null) {
            options = GlobalOptions.resolve(flags, invocation.environment());
        }
        return options;
    }

    /**
     * The environment this run was started with.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> environment() {
        return invocation.environment();
    }

    /**
     * Loads the project the global options point at ({@code -f}, {@code -p},
     * {@code --project-directory}, {@code --env-file}, {@code --profile}, {@code COMPOSE_*}).
     *
     * @param interpolate false for {@code --no-interpolate}
     * @return the validated project
     * @throws io.jcompose.model.ComposeFileException with the one located line to show
     */
    public Project loadProject(boolean interpolate) {
        GlobalOptions o = globalOptions();
        LoadOptions load = LoadOptions.defaults()
                .withEnvironment(invocation.environment())
                .withCurrentDirectory(invocation.workingDirectory())
                .withStdin(this::readStdin)
                .withFiles(o.files())
                .withProjectName(o.projectName().orElse(null))
                .withProjectDirectory(o.projectDirectory().map(Path::toString).orElse(null))
                .withEnvFiles(o.envFiles())
                .withProfiles(o.profiles())
                .withInterpolation(interpolate)
                .withWarnings(this::warn);
        return ProjectLoader.load(load);
    }

    private String readStdin() {
        try {
            return new String(invocation.stdin().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new io.jcompose.model.ComposeFileException("cannot read the Compose file from stdin: " + e.getMessage(), e);
        }
    }

    /** Prints a warning as compose does (logrus's text form on a terminal), on stderr before any other output. */
    public void warn(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("WARN[0000] " + message);
        err.flush();
    }

    /** Without a sub-command: prints the help, as {@code docker compose} does, and exits 0. */
    @Override
    public void run() {
        globalOptions(); // bad global flags fail even here, as in compose's PersistentPreRun
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
