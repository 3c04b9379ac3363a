package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.HijackedStream;
import io.jcompose.runtime.api.client.StreamFrames;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose exec SERVICE COMMAND [ARGS...]}: runs a command in a running service
 * container; the exit code is the command's, as in compose. Options end at the service name
 * (the command's own flags are not ours), see {@link JcomposeCommand}'s parser setup.
 */
@Command(name = "exec", description = "Execute a command in a running container")
public final class ExecCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin IndexOption index;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: Run command in the background")
    boolean detach;

    @Option(names = {"-T", "--no-tty", "--no-TTY"}, description = "Disable pseudo-TTY allocation (default: auto-detected)")
    boolean noTty;

    @Option(names = {"-i", "--interactive"}, hidden = true, defaultValue = "true", negatable = true)
    boolean interactive;

    @Option(names = {"-u", "--user"}, paramLabel = "<string>", description = "Run the command as this user")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "<string>", description = "Path to workdir directory for this command")
    String workdir;

    @Option(names = {"-e", "--env"}, paramLabel = "<stringArray>", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--privileged", description = "Give extended privileges to the process")
    boolean privileged;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        ComposeContext ctx = new ComposeContext(root, spec);
        try {
            Project p = ctx.projectOrNull();
            EngineClient client = ctx.client();
            ContainerSummary target = ServiceContainers.pick(client, ctx.projectName(p), service, index.index);
            boolean tty = !noTty && !detach && stdinIsTerminal();
            boolean stdin = interactive && !detach;
            ExecCreateRequest request = new ExecCreateRequest(stdin, !detach, !detach, null, tty,
                    environment(env, root.environment()), command, privileged, user, workdir, null);
            String id = client.createExec(target.id(), request);
            try (HijackedStream stream = client.startExec(id, tty)) {
                if (detach) {
                    return 0;
                }
                if (stdin) {
                    Thread.ofVirtual().name("jcompose-exec-stdin").start(() -> copyStdin(stream));
                }
                copyOutput(stream.output(), tty, ctx.out(), ctx.err());
            }
            ExecInspect done = client.inspectExec(id);
            return done.exitCode() == null ? ExitCodes.FAILURE : done.exitCode();
        } catch (EngineException | IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        } catch (IOException e) {
            throw new CliException("exec: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    /**
     * {@code -e KEY=VALUE} as given; {@code -e KEY} takes KEY's value from our environment and is
     * dropped when it has none, as the docker CLI does.
     */
    static List<String> environment(List<String> given, Map<String, String> ours) {
        List<String> out = new ArrayList<>();
        for (String e : given) {
            if (e.contains("=")) {
                out.add(e);
            } else if (ours.containsKey(e)) {
                out.add(e + "=" + ours.get(e));
            }
        }
        return out;
    }

    private static boolean stdinIsTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    private static void copyStdin(HijackedStream stream) {
        try {
            System.in.transferTo(stream.stdin());
            stream.stdin().flush();
            stream.closeStdin();
        } catch (IOException e) {
            // the exec ended and closed the connection first: nothing more to send
        }
    }

    /**
     * Raw output for a TTY, else the multiplexed frames to our stdout and stderr (the command
     * line's writers, so that embedding callers and tests see them).
     */
    private static void copyOutput(InputStream in, boolean tty, PrintWriter out, PrintWriter err) throws IOException {
        if (tty) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.print(new String(buf, 0, n, StandardCharsets.UTF_8));
                out.flush();
            }
            return;
        }
        StreamFrames frames = new StreamFrames(in);
        for (StreamFrames.Frame f; (f = frames.next()) != null; ) {
            PrintWriter to = f.stream() == 2 ? err : out;
            to.print(new String(f.payload(), StandardCharsets.UTF_8));
            to.flush();
        }
    }
}
