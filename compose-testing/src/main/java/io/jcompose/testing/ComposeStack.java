package io.jcompose.testing;

import io.jcompose.cli.command.ServiceContainers;
import io.jcompose.cli.engine.ApiEngine;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.planner.graph.DependencyException;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.DownOptions;
import io.jcompose.planner.plan.Plan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.plan.UpOptions;
import io.jcompose.planner.reconcile.ProgressEvent;
import io.jcompose.planner.reconcile.ReconcileException;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.planner.reconcile.Reconciler;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A project that {@link ComposeProject#up()} brought up: its services' handles, and
 * {@link #down()} ({@code jcompose down -v --remove-orphans}), which {@link #close()} calls too.
 * Stacks still up when the JVM exits are taken down by {@link ComposeSession}'s shutdown hook.
 */
public final class ComposeStack implements AutoCloseable {
    private static final Pattern NAMED_CONTAINER = Pattern.compile("container (\\S+)");
    /** A progress line of the CLI ({@code --progress plain}) reporting an error on a container. */
    private static final Pattern ERROR_EVENT = Pattern.compile("(?m)^\\s*Container (\\S+)\\s+Error\\b[ \\t]*(.*)$");
    /** What the CLI puts before a command's error on stderr. */
    private static final Pattern ERROR_PREFIX = Pattern.compile("^(?:jcompose:\\s*|Error:?\\s*)+");

    private final String name;
    private final List<String> services;
    private final Supplier<Project> project;
    private final Supplier<EngineClient> client;
    private final Supplier<ApiEngine> engine;
    private final int stopTimeoutSeconds;
    private final CliProject cli;
    private boolean down;

    /** A stack this JVM plans and reconciles itself. */
    ComposeStack(Project project, EngineClient client, int stopTimeoutSeconds) {
        this(project.name(), List.copyOf(project.services().keySet()), () -> project, () -> client, stopTimeoutSeconds, null);
    }

    /**
     * A stack whose {@code up} and {@code down} the CLI server in jcomposed runs.
     *
     * @param services the project's enabled services ({@code config --services})
     * @param project loads the model in this JVM, once, when something asks for it
     * @param client connects to the engine, once, when something asks for it (the way to a ready
     *     stack through the CLI server may never need it)
     */
    ComposeStack(String name, List<String> services, Supplier<Project> project, Supplier<EngineClient> client, int stopTimeoutSeconds,
            CliProject cli) {
        this.name = name;
        this.services = List.copyOf(services);
        this.project = memoized(project);
        this.client = memoized(client);
        this.engine = memoized(() -> new ApiEngine(this.client.get()));
        this.stopTimeoutSeconds = stopTimeoutSeconds;
        this.cli = cli;
    }

    private static <T> Supplier<T> memoized(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    /** The project name (unique per {@code up} unless the test fixed one). */
    public String projectName() {
        return name;
    }

    /**
     * The loaded project model (services, networks, volumes as {@code jcompose config} shows them).
     * When the CLI server brought the stack up, the first call loads the file in this JVM.
     */
    public Project project() {
        return project.get();
    }

    /** Whether the CLI server in jcomposed ran {@code up} (and runs {@code down}), not this JVM. */
    boolean viaCliServer() {
        return cli != null;
    }

    /**
     * The service's first container.
     *
     * @param service a service of the project
     * @return its handle
     * @throws IllegalArgumentException when the project has no such (enabled) service
     */
    public ServiceHandle service(String service) {
        return service(service, 1);
    }

    /**
     * One replica of the service.
     *
     * @param service a service of the project
     * @param index the replica number, from 1 ({@code --index})
     * @return its handle
     * @throws IllegalArgumentException when the project has no such (enabled) service
     */
    public ServiceHandle service(String service, int index) {
        if (!services.contains(service)) {
            throw new IllegalArgumentException("no service \"" + service + "\" in project " + name
                    + " (services: " + String.join(", ", services) + ")");
        }
        return new ServiceHandle(this, service, index);
    }

    /** Takes the stack down with its volumes and orphans; does nothing the second time. */
    public synchronized void down() {
        if (down) {
            return;
        }
        try {
            Optional<CliServerCall.Outcome> remote = cli == null ? Optional.empty()
                    : cli.run("down", "--volumes", "--remove-orphans", "--timeout", Integer.toString(stopTimeoutSeconds));
            if (remote.isPresent()) {
                if (remote.get().exitCode() != 0) {
                    throw new ComposeException("down of " + name + " failed: " + remote.get().lastErrorLine());
                }
            } else {
                Project p = project();
                var plan = Planner.down(p, ObservedState.observe(engine(), name), new DownOptions(true, true, stopTimeoutSeconds));
                new Reconciler(engine(), e -> {}, new ReconcileOptions(null, stopTimeoutSeconds, false, null, null)).down(plan);
            }
            down = true;
        } catch (ReconcileException | EngineException e) {
            throw new ComposeException("down of " + name + " failed: " + e.getMessage(), e);
        } finally {
            if (down) {
                ComposeSession.current().unregister(this);
            }
        }
    }

    /** {@link #down()}. */
    @Override
    public void close() {
        down();
    }

    EngineClient client() {
        return client.get();
    }

    ApiEngine engine() {
        return engine.get();
    }

    int stopTimeoutSeconds() {
        return stopTimeoutSeconds;
    }

    /**
     * {@code up -d --wait} with the session's labels, then the per-service waits; takes the stack
     * down again when anything fails.
     */
    void start(Duration startupTimeout, Map<String, WaitStrategy> waits) {
        for (String s : waits.keySet()) {
            service(s); // an unknown service fails before anything is created
        }
        ComposeSession.current().register(this);
        try {
            if (cli != null) {
                cliUp(startupTimeout);
            } else {
                reconcileUp(startupTimeout);
            }
            awaitAll(waits);
        } catch (RuntimeException e) {
            try {
                down();
            } catch (RuntimeException downFailure) {
                e.addSuppressed(downFailure);
            }
            throw e;
        }
    }

    /**
     * {@code up -d --wait} run by the CLI server, with the session in {@code JCOMPOSE_SESSION} (the
     * same labels as {@link #reconcileUp}); a failure names its container as the in-process path does.
     */
    private void cliUp(Duration startupTimeout) {
        long waitSeconds = Math.max(1, (startupTimeout.toMillis() + 999) / 1000);
        CliServerCall.Outcome outcome = cli.run("up", "--detach", "--wait", "--wait-timeout", Long.toString(waitSeconds),
                        "--timeout", Integer.toString(stopTimeoutSeconds))
                .orElseThrow(() -> new ComposeException("up of " + name + " failed: the CLI server in jcomposed went away"));
        if (outcome.exitCode() == 0) {
            return;
        }
        String error = ERROR_PREFIX.matcher(outcome.lastErrorLine()).replaceFirst("");
        // the container the error names (a dependency that turned unhealthy), else the first one
        // the progress reported an error on (" Container p-slow-1 Error application not healthy after 3s")
        String container = null;
        String reason = error;
        Matcher named = NAMED_CONTAINER.matcher(error);
        Matcher event = ERROR_EVENT.matcher(outcome.stderr());
        if (named.find()) {
            container = named.group(1);
        } else if (event.find()) {
            container = event.group(1);
            reason = event.group(2).isBlank() ? error : event.group(2).strip();
        }
        Optional<ContainerSummary> c = container == null ? Optional.empty() : containerNamed(container);
        if (c.isPresent()) {
            throw new ServiceNotReadyException(ServiceContainers.service(c.get()), container, reason,
                    ServiceHandle.lastLogLines(client(), c.get().id(), ServiceNotReadyException.LOG_LINES), null);
        }
        throw new ComposeException("up of " + name + " failed: " + error);
    }

    private void reconcileUp(Duration startupTimeout) {
        Project project = project();
        List<ProgressEvent> errors = new CopyOnWriteArrayList<>();
        Plan plan;
        try {
            plan = Planner.up(project, ObservedState.observe(engine(), project.name()),
                    UpOptions.defaults().withExtraLabels(ComposeSession.current().labels()));
        } catch (DependencyException | IllegalArgumentException e) {
            throw new ComposeException(e.getMessage(), e);
        }
        ReconcileOptions options = new ReconcileOptions(null, stopTimeoutSeconds, true, startupTimeout, Duration.ofMillis(200));
        try {
            new Reconciler(engine(), e -> {
                if (e.status() == ProgressEvent.Status.ERROR) {
                    errors.add(e);
                }
            }, options).up(plan);
        } catch (ReconcileException | EngineException e) {
            throw notReady(e, errors);
        }
    }

    /**
     * The report of a failed {@code up}: the container the error names (a dependency that turned
     * unhealthy), else the one the error was reported on, with its service and last log lines.
     */
    private ComposeException notReady(RuntimeException e, List<ProgressEvent> errors) {
        for (ProgressEvent error : errors) {
            if (error.kind() != ProgressEvent.Kind.CONTAINER) {
                continue;
            }
            String container = error.name();
            Matcher m = NAMED_CONTAINER.matcher(error.message());
            if (m.find()) {
                container = m.group(1);
            }
            Optional<ContainerSummary> c = containerNamed(container);
            if (c.isPresent()) {
                String reason = error.message().isEmpty() ? e.getMessage() : error.message();
                return new ServiceNotReadyException(ServiceContainers.service(c.get()), container, reason,
                        ServiceHandle.lastLogLines(client(), c.get().id(), ServiceNotReadyException.LOG_LINES), e);
            }
        }
        return new ComposeException("up of " + name + " failed: " + e.getMessage(), e);
    }

    private Optional<ContainerSummary> containerNamed(String container) {
        return ServiceContainers.of(client(), name, List.of(), true).stream()
                .filter(c -> c.names() != null && (c.names().contains("/" + container) || c.names().contains(container)))
                .findFirst();
    }

    /**
     * The id of the service's one container, listed by the CLI server ({@code ps --all --quiet}),
     * so that the test JVM reads no container JSON on the way to a ready stack; empty without a
     * server or with several replicas (then this JVM lists them).
     */
    private Optional<String> singleContainerViaCliServer(String service) {
        if (cli == null) {
            return Optional.empty();
        }
        return cli.run("ps", "--all", "--quiet", service)
                .filter(o -> o.exitCode() == 0)
                .map(o -> o.stdout().lines().filter(l -> !l.isBlank()).map(String::strip).toList())
                .filter(ids -> ids.size() == 1)
                .map(List::getFirst);
    }

    /** Follows the service's output in the CLI server until the wait's line shows or the deadline passes. */
    private CliServerCall.Followed followLogs(String service, Wait.LogLine wait, long deadline) {
        return cli.follow(line -> wait.pattern().matcher(line).find(), deadline,
                "logs", "--follow", "--no-log-prefix", service);
    }

    /**
     * The published port of a service's container as {@code jcompose port} in the CLI server
     * prints it ({@code 0.0.0.0:32768}); empty without a server, and for replicas other than the
     * first ({@code port} has no {@code --index} yet: it answers for the lowest-numbered container).
     *
     * @throws IllegalArgumentException with the command's error when the port is not published
     */
    Optional<String> publishedViaCliServer(String service, int index, int containerPort) {
        if (cli == null || index != 1) {
            return Optional.empty();
        }
        return cli.run("port", service, Integer.toString(containerPort)).map(o -> {
            if (o.exitCode() != 0 || o.stdout().isBlank()) {
                throw new IllegalArgumentException(ERROR_PREFIX.matcher(o.lastErrorLine()).replaceFirst(""));
            }
            return o.stdout().strip();
        });
    }

    /** The {@link ComposeProject#waitingFor} checks, all services at once; the first failure ends the others. */
    private void awaitAll(Map<String, WaitStrategy> waits) {
        if (waits.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CompletionService<Void> done = new ExecutorCompletionService<>(pool);
        int count = 0;
        try {
            for (Map.Entry<String, WaitStrategy> w : waits.entrySet()) {
                Optional<String> single = singleContainerViaCliServer(w.getKey());
                if (single.isPresent()) {
                    ServiceHandle h = service(w.getKey());
                    done.submit(() -> {
                        long deadline = System.nanoTime() + w.getValue().timeout().toNanos();
                        if (!(w.getValue() instanceof Wait.LogLine l) || followLogs(w.getKey(), l, deadline) != CliServerCall.Followed.MATCHED) {
                            Readiness.await(h, single.get(), w.getValue(), deadline); // the engine says why (or follows again)
                        }
                        return null;
                    });
                    count++;
                    continue;
                }
                for (ContainerSummary c : ServiceContainers.of(client(), name, List.of(w.getKey()), true)) {
                    ServiceHandle h = service(w.getKey(), ServiceContainers.number(c));
                    done.submit(() -> {
                        Readiness.await(h, c.id(), w.getValue());
                        return null;
                    });
                    count++;
                }
            }
            for (int i = 0; i < count; i++) {
                done.take().get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new ComposeException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComposeException("interrupted while waiting for " + name + " to be ready", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
