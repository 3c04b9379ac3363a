package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.cli.engine.ProgressBridge;
import io.jcompose.model.PortConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.normalize.PortSyntax;
import io.jcompose.model.normalize.ShellWords;
import io.jcompose.model.normalize.VolumeSyntax;
import io.jcompose.planner.build.BuildPolicy;
import io.jcompose.planner.engine.ComposeNames;
import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.planner.engine.ImageInfo;
import io.jcompose.planner.engine.OneOff;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.Plan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.reconcile.ProgressEvent.Kind;
import io.jcompose.planner.reconcile.ProgressEvent.Status;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.HijackedStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose run SERVICE [COMMAND] [ARGS...]}: a one-off container of a service
 * (docker/compose {@code cmd/compose/run.go}, {@code pkg/compose/run.go}). The dependencies are
 * converged first (unless {@code --no-deps}) and their {@code depends_on} conditions awaited; the
 * container is named {@code <project>-<service>-run-<12 hex>} and labelled
 * {@code com.docker.compose.oneoff=True} and {@code com.docker.compose.slug}; attached, the exit
 * code is the container's. Options end at the service name (see {@link io.jcompose.cli.Main}).
 * Images are pulled and built first as for {@code up} ({@link ImagesBeforeCreate}; {@code --build}
 * rebuilds the service and its dependencies).
 */
@Command(name = "run", description = "Run a one-off command on a service")
public final class RunCommand implements Callable<Integer> {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = {"-e", "--env"}, paramLabel = "<stringArray>", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = {"-l", "--label", "--labels"}, paramLabel = "<stringArray>", description = "Add or override a label")
    List<String> labels = new ArrayList<>();

    @Option(names = "--rm", description = "Automatically remove the container when it exits")
    boolean remove;

    @Option(names = {"-T", "--no-TTY", "--no-tty"}, description = "Disable pseudo-TTY allocation (default: auto-detected)")
    Boolean noTty;

    @Option(names = {"-t", "--tty"}, hidden = true, description = "Allocate a pseudo-TTY")
    Boolean ttyFlag;

    @Option(names = {"-i", "--interactive"}, negatable = true, description = "Keep STDIN open even if not attached")
    Boolean interactive;

    @Option(names = "--name", paramLabel = "<string>", description = "Assign a name to the container")
    String name;

    @Option(names = {"-u", "--user"}, paramLabel = "<string>", description = "Run as specified username or uid")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "<string>", description = "Working directory inside the container")
    String workdir;

    @Option(names = "--entrypoint", paramLabel = "<string>", description = "Override the entrypoint of the image")
    String entrypoint;

    @Option(names = "--cap-add", paramLabel = "<list>", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "<list>", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;

    @Option(names = {"-v", "--volume", "--volumes"}, paramLabel = "<stringArray>", description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "<stringArray>", description = "Publish a container's port(s) to the host")
    List<String> publish = new ArrayList<>();

    @Option(names = "--use-aliases", description = "Use the service's network useAliases in the network(s) the container connects to")
    boolean useAliases;

    @Option(names = {"-P", "--service-ports"}, description = "Run command with all service's ports enabled and mapped to the host")
    boolean servicePorts;

    @Option(names = "--quiet-pull", description = "Pull without printing progress information")
    boolean quietPull;

    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;

    @Option(names = "--build", description = "Build image before starting container")
    boolean build;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        if (!publish.isEmpty() && servicePorts) {
            throw new UsageException("--service-ports and --publish are incompatible");
        }
        if (ttyFlag != null && noTty != null) {
            throw new UsageException("--tty and --no-tty can't be used together");
        }
        boolean stdinOpen = interactive == null || interactive;
        // compose: a TTY by default on a terminal (stdout for the flag's default, stdin when no flag is given)
        boolean tty = ttyFlag != null ? ttyFlag
                : noTty != null ? !noTty
                : root.stdoutTerminal() && (interactive != null || root.stdinTerminal());
        if (tty && stdinOpen && !detach && !root.stdinTerminal()) {
            throw new CliException("the input device is not a TTY", ExitCodes.FAILURE);
        }
        OneOff run = new OneOff(slug(), command.isEmpty() ? null : command, entrypoint(entrypoint), environment(env, root.environment()),
                user, workdir, servicePorts, ports(publish), useAliases, remove, tty, stdinOpen, labels(labels),
                volumes(volumes, root.invocation().workingDirectory()), capAdd, capDrop);
        ComposeContext ctx = new ComposeContext(root, spec);
        String id = ComposeContext.supplyOneLine(() -> create(ctx, run));
        EngineClient client = ctx.client();
        if (detach) {
            ComposeContext.oneLine(() -> client.startContainer(id));
            ctx.out().println(id);
            ctx.out().flush();
            return 0;
        }
        return attach(ctx, client, id, tty, stdinOpen);
    }

    /** Converges the dependencies, ensures the image, creates the one-off container; its ID. */
    private String create(ComposeContext ctx, OneOff run) {
        Project project = ctx.project();
        Service s = project.service(service);
        String[] id = new String[1];
        ctx.locked(project.name(), () -> {
            Plan plan = Planner.run(project, ctx.observe(project.name()), service, noDeps, removeOrphans);
            plan.warnings().forEach(ctx::warn);
            // compose builds the dependencies (startDependencies) and then the service itself
            java.util.Set<String> withService = new java.util.LinkedHashSet<>(plan.services().keySet());
            withService.add(service);
            ImagesBeforeCreate.of(ctx, quietPull).ensure(project, withService, BuildPolicy.of(build, false, null));
            ctx.withReconciler("run", true, quietPull, ReconcileOptions.defaults(), op -> {
                op.reconciler().up(plan);
                op.reconciler().awaitDependenciesOf(plan, service);
                String imageId = ensureImage(op, project, s);
                String containerName = name != null ? name
                        : s.containerName() != null && !s.containerName().isEmpty() ? s.containerName()
                        : ComposeNames.oneOff(project.name(), service, run.slug());
                ObservedState after = ObservedState.observe(op.engine(), project.name());
                ContainerCreateRequest request = Planner.oneOff(project, after, service, run, containerName, imageId);
                id[0] = op.engine().createContainer(request);
            });
        });
        return id[0];
    }

    /** The service's image ID, pulled first when missing (run's {@code ensureImagesExists}). */
    private String ensureImage(ComposeContext.Operation op, Project project, Service s) {
        String ref = ContainerRequests.imageName(project, s);
        try {
            return op.engine().inspectImage(ref).id();
        } catch (EngineException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        if (s.build() != null) {
            throw new EngineException(EngineException.NOT_FOUND, "image " + ref + " of service \"" + s.name()
                    + "\" is not built: run `jcompose build` first");
        }
        ProgressBridge bridge = new ProgressBridge(op.progress());
        bridge.onEvent(new io.jcompose.planner.reconcile.ProgressEvent(Kind.IMAGE, ref, Status.PULLING, ""));
        op.engine().pullImage(ref, s.platform()); // the operation's engine: its display (or --quiet-pull) and the user's login
        bridge.onEvent(new io.jcompose.planner.reconcile.ProgressEvent(Kind.IMAGE, ref, Status.PULLED, ""));
        ImageInfo info = op.engine().inspectImage(ref);
        return info.id();
    }

    /**
     * Attach, start, stream, wait (the docker CLI's {@code start -a -i}): the waiter is registered
     * before the start so that a quick exit is not missed; signals to jcompose go to the container.
     */
    private int attach(ComposeContext ctx, EngineClient client, String id, boolean tty, boolean stdinOpen) {
        try (HijackedStream stream = ComposeContext.supplyOneLine(() -> client.attachContainer(id, stdinOpen, false))) {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> (int) client.waitContainer(id, remove ? "removed" : "next-exit").statusCode(),
                    r -> ctx.threads().start("jcompose-run-wait", r));
            ComposeContext.oneLine(() -> client.startContainer(id));
            try (AutoCloseable forward = SignalForwarding.to(ctx.signals(), ctx.threads(), client, id)) {
                new AttachedStreams(tty, root.stdinTerminal(), stdinOpen ? root.stdin() : null, ctx.out(), ctx.err(), ctx.threads())
                        .pump(stream, size -> client.resizeContainer(id, size[0], size[1]));
            }
            return exit.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new CliException(cause.getMessage(), ExitCodes.FAILURE, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        } catch (IOException e) {
            throw new CliException("run: " + e.getMessage(), ExitCodes.FAILURE, e);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        }
    }

    /** 64 random hex characters, as Docker's {@code stringid.GenerateRandomID}. */
    static String slug() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** {@code --entrypoint "a b"}: split as a shell would ({@code shellwords.Parse}); null when not given. */
    static List<String> entrypoint(String given) {
        return given == null ? null : ShellWords.split(given);
    }

    /**
     * {@code -e KEY=VALUE} as given; {@code -e KEY} takes KEY's value from our environment and is
     * left out when we have none (compose's {@code NewMappingWithEquals(...).Resolve}).
     */
    static Map<String, String> environment(List<String> given, Map<String, String> ours) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : ExecCommand.environment(given, ours)) {
            int eq = e.indexOf('=');
            out.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return out;
    }

    /** {@code -l KEY=VALUE}; compose refuses a label without {@code =}. */
    static Map<String, String> labels(List<String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : given) {
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new UsageException("label must be set as KEY=VALUE");
            }
            out.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return out;
    }

    /** {@code -p [[IP:]HOST:]CONTAINER[/PROTO]}, one entry per container port. */
    static List<PortConfig> ports(List<String> given) {
        List<PortConfig> out = new ArrayList<>();
        for (String p : given) {
            try {
                for (PortSyntax.Entry e : PortSyntax.parse(p)) {
                    out.add(new PortConfig(null, "ingress", e.hostIp().isEmpty() ? null : e.hostIp(), e.target(),
                            e.published().isEmpty() ? null : e.published(), e.protocol(), null, Map.of()));
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid --publish \"" + p + "\": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * {@code -v [SOURCE:]TARGET[:MODE]}: a bind when the source is a path (relative ones from
     * {@code cwd}), a named volume, or anonymous.
     */
    static List<ServiceVolume> volumes(List<String> given, Path cwd) {
        List<ServiceVolume> out = new ArrayList<>();
        for (String v : given) {
            VolumeSyntax.Parsed p;
            try {
                p = VolumeSyntax.parse(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid --volume \"" + v + "\": " + e.getMessage());
            }
            String source = p.source();
            if (ServiceVolume.TYPE_BIND.equals(p.type()) && !source.startsWith("/")) {
                String home = System.getProperty("user.home");
                source = source.startsWith("~") ? home + source.substring(1) : cwd.resolve(source).normalize().toString();
            }
            ServiceVolume.Bind bind = ServiceVolume.TYPE_BIND.equals(p.type())
                    ? new ServiceVolume.Bind(p.selinux().isEmpty() ? null : p.selinux(), p.propagation().isEmpty() ? null : p.propagation(),
                            true, null, Map.of())
                    : null;
            ServiceVolume.VolumeOptions options = p.nocopy() ? new ServiceVolume.VolumeOptions(true, null, Map.of()) : null;
            out.add(new ServiceVolume(p.type(), source.isEmpty() ? null : source, p.target(), p.readOnly(), null, bind, options, null,
                    Map.of()));
        }
        return out;
    }
}
