package io.jcompose.cli;

import io.jcompose.cli.progress.ProgressMode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code jcompose} command line. Errors end as one line on stderr and the exit
 * code {@code docker compose} v2 uses (see docs/cli.md); {@code JCOMPOSE_DEBUG=1} adds the stack trace.
 */
public final class Main {
    /** Set (to anything but empty) to see stack traces behind error messages. */
    public static final String DEBUG_VARIABLE = "JCOMPOSE_DEBUG";

    private Main() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        // UTF-8 whatever the locale, as compose writes it: the spinner and ✔ are not ASCII.
        System.exit(run(System.in, System.out, new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                System.getenv(), args));
    }

    /**
     * Runs the command line without exiting and without standard input (as {@code </dev/null}).
     *
     * @param out where commands print their results
     * @param err where errors and progress go
     * @param env the environment ({@code COMPOSE_*} defaults, {@code JCOMPOSE_DEBUG})
     * @param args the command-line arguments
     * @return the exit code, as {@code docker compose} would return it
     */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return run(InputStream.nullInputStream(), out, err, env, args);
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param in what {@code exec} and {@code run} forward to the container's stdin
     * @param out where commands print their results
     * @param err where errors and progress go
     * @param env the environment ({@code COMPOSE_*} defaults, {@code JCOMPOSE_DEBUG})
     * @param args the command-line arguments
     * @return the exit code, as {@code docker compose} would return it
     */
    public static int run(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return run(Invocation.local(env, in, out == System.out), out, err, args);
    }

    /**
     * Runs the command line for one invocation (this JVM's, or a CLI client's in the daemon).
     *
     * @param invocation the working directory, environment, stdin, terminals and signals of the run
     * @param out where commands print their results
     * @param err where errors and progress go
     * @param args the command-line arguments
     * @return the exit code, as {@code docker compose} would return it
     */
    public static int run(Invocation invocation, PrintStream out, PrintStream err, String... args) {
        return run(CommandTree.forArgs(args), invocation, out, err, args);
    }

    /**
     * Runs the command line on a command tree ({@link CommandTree#forArgs}).
     *
     * @param tree a tree no run has used
     * @param invocation the working directory, environment, stdin, terminals and signals of the run
     * @param out where commands print their results
     * @param err where errors and progress go
     * @param args the command-line arguments
     * @return the exit code, as {@code docker compose} would return it
     * @throws IllegalStateException when the tree served a run already
     */
    public static int run(CommandTree tree, Invocation invocation, PrintStream out, PrintStream err, String... args) {
        Map<String, String> env = invocation.environment();
        JcomposeCommand root = tree.root();
        root.bind(invocation, out, err);
        CommandLine cli = tree.commandLine();
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(errWriter);
        boolean debug = !env.getOrDefault(DEBUG_VARIABLE, "").isEmpty();
        cli.setParameterExceptionHandler((e, a) -> report(errWriter, usageMessage(e), e, debug, ExitCodes.USAGE, false));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean json = jsonErrors(root);
            if (e instanceof CliException c) {
                return report(errWriter, c.getMessage(), e, debug, c.exitCode(), json);
            }
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return report(errWriter, message, e, debug, ExitCodes.FAILURE, json);
        });
        // Global flags and COMPOSE_* variables are checked before any command runs, as compose's
        // PersistentPreRun does, so a bad --progress fails `jcompose version` too.
        cli.setExecutionStrategy(parsed -> {
            try {
                root.globalOptions();
            } catch (CliException e) {
                return report(errWriter, e.getMessage(), e, debug, e.exitCode(), false);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    private static boolean jsonErrors(JcomposeCommand root) {
        try {
            return root.globalOptions().progress() == ProgressMode.JSON;
        } catch (CliException e) {
            return false;
        }
    }

    private static int report(PrintWriter err, String message, Exception e, boolean debug, int code, boolean json) {
        err.println(json ? ErrorLine.json(message) : message);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Picocli's parse errors in the words cobra (and so docker compose) uses for them. */
    static String usageMessage(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            if (arg.startsWith("--")) {
                return "unknown flag: " + arg.split("=", 2)[0];
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                return "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
            }
            CommandLine where = e.getCommandLine();
            if (where.getParent() == null) {
                return "unknown command: \"jcompose " + arg + "\"; see 'jcompose --help'";
            }
            return "\"" + where.getCommandSpec().qualifiedName() + "\" does not take the argument \"" + arg
                    + "\"; see '" + where.getCommandSpec().qualifiedName() + " --help'";
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().getFirst() instanceof OptionSpec option) {
            return "flag needs an argument: " + option.longestName();
        }
        if (e.getCause() instanceof TypeConversionException && e.getArgSpec() instanceof OptionSpec option) {
            return "invalid argument \"" + e.getValue() + "\" for \"" + option.longestName() + "\" flag: "
                    + e.getCause().getMessage();
        }
        if (e.getCause() instanceof CliException c) {
            return c.getMessage();
        }
        return e.getMessage();
    }
}
