package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.ProjectLock;
import io.jcompose.cli.engine.ApiEngine;
import io.jcompose.cli.engine.EngineConnection;
import io.jcompose.cli.engine.ProgressBridge;
import io.jcompose.cli.progress.Progress;
import io.jcompose.model.ComposeFileException;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.planner.graph.DependencyException;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.reconcile.ReconcileException;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.planner.reconcile.Reconciler;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the project commands ({@code up}, {@code down}, {@code ps}...) share: the loaded project,
 * the engine (started on demand), the progress display and the reconciler wired to both, and
 * one way to run an operation so that every failure ends as one line and exit code 1.
 */
final class ComposeContext {
    private final JcomposeCommand root;
    private final CommandSpec spec;
    private EngineClient client;

    ComposeContext(JcomposeCommand root, CommandSpec spec) {
        this.root = root;
        this.spec = spec;
    }

    /** Where errors and warnings go (stderr). */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Where results go (stdout). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The environment of this run (the client's, when the CLI server runs it). */
    java.util.Map<String, String> environment() {
        return root.environment();
    }

    /** The {@code X-Registry-Auth} value for pulling {@code image}: the user's login, if any. */
    String registryAuth(String image) {
        return RegistryLogins.authJson(environment(), image);
    }

    /** The project of the global options. */
    Project project() {
        return root.loadProject(true);
    }

    /**
     * The project name for commands that also work without a Compose file ({@code down},
     * {@code ps}): the file's project, else {@code -p} / {@code COMPOSE_PROJECT_NAME}.
     *
     * @return the loaded project, or null when only the name is known
     * @throws ComposeFileException when there is neither a valid file nor a name
     */
    Project projectOrNull() {
        try {
            return project();
        } catch (ComposeFileException e) {
            if (root.globalOptions().projectName().isPresent() && root.globalOptions().files().isEmpty()) {
                return null;
            }
            throw e;
        }
    }

    String projectName(Project p) {
        return p != null ? p.name() : root.globalOptions().projectName().orElseThrow();
    }

    /** The engine client, starting jcomposed when it is ours and none answers. */
    EngineClient client() {
        if (client == null) {
            client = EngineConnection.of(root.globalOptions(), root.environment()).connect();
        }
        return client;
    }

    /** What the engine holds of the project (containers, networks, volumes by Compose's labels). */
    ObservedState observe(String project) {
        return ObservedState.observe(new ApiEngine(client()), project);
    }

    /** Label filters for the project's service containers (one-offs excluded). */
    static List<String> projectFilters(String project, boolean oneOffs) {
        return oneOffs ? List.of(ComposeLabels.filter(ComposeLabels.PROJECT, project))
                : List.of(ComposeLabels.filter(ComposeLabels.PROJECT, project), ComposeLabels.filter(ComposeLabels.ONEOFF, ComposeLabels.FALSE));
    }

    /** The signals of this run (the JVM's, or those a CLI client forwards). */
    io.jcompose.cli.Signals signals() {
        return root.signals();
    }

    /** Where this run starts the threads that must end with it (followers, pumps, forwarders). */
    io.jcompose.cli.RunThreads threads() {
        return root.invocation().threads();
    }

    /** Warnings, as compose prints them: on stderr before the progress display. */
    void warn(String line) {
        root.warn(line);
    }

    /**
     * Runs one operation with the progress display open and the reconciler wired to it.
     *
     * @param operation {@code up}, {@code down}, {@code stop}...
     * @param detached whether container logs will not follow (the display then shows Started)
     * @param options the reconciler's options
     * @param work what to do with the engine and the reconciler
     */
    void withReconciler(String operation, boolean detached, ReconcileOptions options, Consumer<Operation> work) {
        withReconciler(operation, detached, false, options, work);
    }

    /**
     * As {@link #withReconciler(String, boolean, ReconcileOptions, Consumer)}, with or without
     * the layers of image pulls ({@code --quiet-pull}).
     */
    void withReconciler(String operation, boolean detached, boolean quietPull, ReconcileOptions options, Consumer<Operation> work) {
        EngineClient c = client();
        Progress progress = root.openProgress(detached);
        ProgressBridge bridge = new ProgressBridge(progress);
        ApiEngine engine = new ApiEngine(c, quietPull ? (ref, m) -> {} : bridge, this::registryAuth);
        Reconciler reconciler = new Reconciler(engine, bridge, options);
        boolean ok = false;
        progress.start(operation);
        AutoCloseable hook = root.signals().onTermination(() -> reconciler.cancel("canceled"));
        try {
            work.accept(new Operation(engine, reconciler, progress));
            ok = true;
        } finally {
            progress.done(operation, ok);
            try {
                hook.close();
            } catch (Exception e) {
                // removing a hook does not fail in a way worth reporting
            }
        }
    }

    /**
     * Runs {@code work} holding the project's lock ({@link ProjectLock}): invocations that change
     * the same project on the same engine wait for each other.
     *
     * @param project the project name
     * @param work what to do under the lock (observe, plan, reconcile)
     */
    void locked(String project, Runnable work) {
        Path file = ProjectLock.file(ProjectLock.directory(root.environment()), root.globalOptions().host(), project);
        try (ProjectLock lock = ProjectLock.acquire(file, project, err())) {
            work.run();
        }
    }

    /** The progress display the global flags ask for, for a detached operation. */
    Progress progress() {
        return root.openProgress(true);
    }

    /** The engine port, the reconciler and the display of one operation. */
    record Operation(ApiEngine engine, Reconciler reconciler, Progress progress) {}

    /**
     * Turns the planner's and engine's failures into the CLI's one-line error.
     *
     * @param work the command's body
     */
    static void oneLine(Runnable work) {
        supplyOneLine(() -> {
            work.run();
            return null;
        });
    }

    /**
     * As {@link #oneLine(Runnable)}, for work that answers something.
     *
     * @param work the command's body
     * @return what the work answered
     */
    static <T> T supplyOneLine(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (ReconcileException | DependencyException | IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        } catch (EngineException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        }
    }
}
