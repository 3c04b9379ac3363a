package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.HijackedStream;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import java.io.IOException;
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
            boolean tty = !noTty && !detach && root.stdinTerminal();
            boolean stdin = interactive && !detach;
            ExecCreateRequest request = new ExecCreateRequest(stdin, !detach, !detach, null, tty,
                    environment(env, root.environment()), command, privileged, user, workdir, null);
            String id = client.createExec(target.id(), request);
            try (HijackedStream stream = client.startExec(id, tty)) {
                if (detach) {
                    return 0;
                }
                new AttachedStreams(tty, root.stdinTerminal(), stdin ? root.stdin() : null, ctx.out(), ctx.err(), ctx.threads())
                        .pump(stream, size -> client.resizeExec(id, size[0], size[1]));
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
}
