package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.planner.build.BuildPolicy;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.cli.UsageException;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.Plan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.plan.Recreate;
import io.jcompose.planner.plan.UpOptions;
import io.jcompose.planner.reconcile.ReconcileOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose up}: plans from the project and what the engine holds, then reconciles
 * (docker/compose {@code cmd/compose/up.go}). Attached mode follows the containers' logs
 * ({@link LogsCommand#follow}) until they all exit or Ctrl-C.
 */
@Command(name = "up", description = "Create and start containers")
public final class UpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: Run containers in the background")
    boolean detach;

    @Option(names = "--wait", description = "Wait for services to be running|healthy. Implies detached mode.")
    boolean waitReady;

    @Option(names = "--wait-timeout", paramLabel = "<seconds>", description = "Maximum duration in seconds to wait for the project to be running|healthy")
    Integer waitTimeout;

    @Option(names = "--force-recreate", description = "Recreate containers even if their configuration and image haven't changed")
    boolean forceRecreate;

    @Option(names = "--no-recreate", description = "If containers already exist, don't recreate them. Incompatible with --force-recreate.")
    boolean noRecreate;

    @Option(names = "--always-recreate-deps", description = "Recreate dependent containers. Incompatible with --no-recreate.")
    boolean alwaysRecreateDeps;

    @Option(names = {"-V", "--renew-anon-volumes"}, description = "Recreate anonymous volumes instead of retrieving data from the previous containers")
    boolean renewAnonVolumes;

    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;

    @Option(names = "--scale", paramLabel = "<SERVICE=NUM>", description = "Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present.")
    List<String> scale = new ArrayList<>();

    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;

    @Option(names = "--no-start", description = "Don't start the services after creating them")
    boolean noStart;

    @Option(names = "--pull", paramLabel = "<policy>", defaultValue = "policy", description = "Pull image before running (\"always\"|\"missing\"|\"never\")")
    String pull;

    @Option(names = "--quiet-pull", description = "Pull without printing progress information")
    boolean quietPull;

    @Option(names = "--build", description = "Build images before starting containers")
    boolean build;

    @Option(names = "--no-build", description = "Don't build an image, even if it's policy")
    boolean noBuild;

    @Option(names = {"-t", "--timeout"}, paramLabel = "<seconds>", description = "Use this timeout in seconds for container shutdown when attached or when containers are already running")
    Integer timeout;

    @Option(names = "--abort-on-container-exit", description = "Stops all containers if any container was stopped. Incompatible with -d")
    boolean abortOnExit;

    @Option(names = "--exit-code-from", paramLabel = "<string>", description = "Return the exit code of the selected service container. Implies --abort-on-container-exit")
    String exitCodeFrom;

    @Option(names = "--attach", paramLabel = "<stringArray>", description = "Restrict attaching to the specified services. Incompatible with --attach-dependencies.")
    List<String> attach = new ArrayList<>();

    @Option(names = "--no-attach", paramLabel = "<stringArray>", description = "Do not attach (stream logs) to the specified services")
    List<String> noAttach = new ArrayList<>();

    @Option(names = "--attach-dependencies", description = "Automatically attach to log output of dependent services")
    boolean attachDependencies;

    @Option(names = "--no-log-prefix", description = "Don't print prefix in logs")
    boolean noLogPrefix;

    @Option(names = "--no-color", description = "Produce monochrome output")
    boolean noColor;

    @Option(names = "--timestamps", description = "Show timestamps")
    boolean timestamps;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    /**
     * The session label of a client that holds a session lease and lets the CLI create its objects
     * (compose-testing through the CLI server): {@code JCOMPOSE_SESSION} names the session.
     */
    private java.util.Map<String, String> sessionLabels() {
        String session = root.environment().get(io.jcompose.runtime.api.Sessions.SESSION_VARIABLE);
        if (session == null || session.isEmpty()) {
            return java.util.Map.of();
        }
        try {
            return java.util.Map.of(io.jcompose.runtime.api.Sessions.LABEL, io.jcompose.runtime.api.Sessions.checkId(session));
        } catch (IllegalArgumentException e) {
            throw new CliException(io.jcompose.runtime.api.Sessions.SESSION_VARIABLE + ": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    @Override
    public Integer call() {
        // compose's validateFlags, in its order and words
        boolean cascadeStop = abortOnExit || exitCodeFrom != null;
        boolean detached = detach;
        if (waitReady) {
            if (attachDependencies || cascadeStop || !attach.isEmpty()) {
                throw new UsageException("--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies");
            }
            detached = true;
        }
        if (build && noBuild) {
            throw new UsageException("--build and --no-build are incompatible");
        }
        if (detached && (attachDependencies || cascadeStop || !attach.isEmpty())) {
            throw new UsageException("--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies");
        }
        if (forceRecreate && noRecreate) {
            throw new UsageException("--force-recreate and --no-recreate are incompatible");
        }
        if (alwaysRecreateDeps && noRecreate) {
            throw new UsageException("--always-recreate-deps and --no-recreate are incompatible");
        }
        if (!attach.isEmpty() && attachDependencies) {
            throw new UsageException("cannot combine --attach and --attach-dependencies");
        }
        UpOptions options = new UpOptions(services, noDeps,
                forceRecreate ? Recreate.FORCE : noRecreate ? Recreate.NEVER : Recreate.DIVERGED,
                alwaysRecreateDeps ? Recreate.FORCE : Recreate.DIVERGED,
                renewAnonVolumes, removeOrphans, scales(scale), noStart).withExtraLabels(sessionLabels());
        ReconcileOptions reconcile = new ReconcileOptions(pullPolicy(pull), timeout, waitReady,
                waitTimeout == null ? null : Duration.ofSeconds(waitTimeout), Duration.ofMillis(500));
        ComposeContext ctx = new ComposeContext(root, spec);
        boolean follow = !detached && !noStart;
        Project project = ComposeContext.supplyOneLine(() -> {
            Project p = ctx.project();
            if (exitCodeFrom != null && !p.services().containsKey(exitCodeFrom)) {
                throw new CliException("no such service: " + exitCodeFrom + ": not found", ExitCodes.FAILURE); // compose's words
            }
            ctx.locked(p.name(), () -> {
                ObservedState observed = ctx.observe(p.name());
                Plan planned = Planner.up(p, observed, options);
                buildImages(ctx, p, planned);
                // as compose: containers whose built image changed (now or by an earlier `build`) are recreated
                Plan plan = Planner.up(p, observed, options, builtImageIds(ctx, p, planned));
                plan.warnings().forEach(ctx::warn);
                ctx.withReconciler("up", !follow, quietPull, reconcile, op -> op.reconciler().up(plan));
            });
            return p;
        });
        if (!follow) {
            return 0;
        }
        List<String> selected = services;
        if (attachDependencies) {
            var graph = io.jcompose.planner.graph.ServiceGraph.of(project, w -> { });
            java.util.Set<String> with = new java.util.LinkedHashSet<>(services.isEmpty() ? project.services().keySet() : services);
            List.copyOf(with).forEach(s -> with.addAll(graph.transitiveDependencies(s)));
            selected = List.copyOf(with);
        }
        java.util.Set<String> attachTo = AttachedUp.attachSet(project, selected, attach, noAttach);
        return new AttachedUp(ctx, project, services, attachTo, cascadeStop, exitCodeFrom, timeout, !noLogPrefix, timestamps).run();
    }

    /** Pulls and builds what compose would before creating containers ({@link ImagesBeforeCreate}). */
    private void buildImages(ComposeContext ctx, Project project, Plan plan) {
        ImagesBeforeCreate.of(ctx, quietPull).ensure(project, plan.services().keySet(), BuildPolicy.of(build, noBuild, pullPolicy(pull)));
    }

    /** The current image id of each planned service that has a build section and an image. */
    static Map<String, String> builtImageIds(ComposeContext ctx, Project project, Plan plan) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : plan.services().keySet()) {
            Service s = project.service(name);
            if (s.build() == null) {
                continue;
            }
            try {
                ids.put(name, ctx.client().inspectImage(ContainerRequests.imageName(project, s)).id());
            } catch (EngineApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        return ids;
    }

    /**
     * {@code --pull}: compose's default {@code policy} leaves each service's {@code pull_policy};
     * the others are checked here.
     *
     * @return the policy for the reconciler, or {@code null} for the services' own
     * @throws UsageException on another value
     */
    static String pullPolicy(String pull) {
        if (pull == null || pull.equals("policy")) {
            return null;
        }
        if (!List.of("always", "missing", "never", "build").contains(pull)) {
            throw new UsageException("invalid --pull option \"" + pull + "\"");
        }
        return pull;
    }

    /** {@code --scale SERVICE=NUM} flags as a map. */
    static Map<String, Integer> scales(List<String> scale) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String s : scale) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("invalid --scale option \"" + s + "\": expected SERVICE=NUM");
            }
            try {
                out.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new UsageException("invalid --scale option \"" + s + "\": " + s.substring(eq + 1) + " is not a number");
            }
        }
        return out;
    }
}
