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
import java.util.regex.Pattern;

/**
 * A project that {@link ComposeProject#up()} brought up: its services' handles, and
 * {@link #down()} ({@code jcompose down -v --remove-orphans}), which {@link #close()} calls too.
 * Stacks still up when the JVM exits are taken down by {@link ComposeSession}'s shutdown hook.
 */
public final class ComposeStack implements AutoCloseable {
    private static final Pattern NAMED_CONTAINER = Pattern.compile("container (\\S+)");

    private final Project project;
    private final EngineClient client;
    private final ApiEngine engine;
    private final int stopTimeoutSeconds;
    private boolean down;

    ComposeStack(Project project, EngineClient client, int stopTimeoutSeconds) {
        this.project = project;
        this.client = client;
        this.engine = new ApiEngine(client);
        this.stopTimeoutSeconds = stopTimeoutSeconds;
    }

    /** The project name (unique per {@code up} unless the test fixed one). */
    public String projectName() {
        return project.name();
    }

    /** The loaded project model (services, networks, volumes as {@code jcompose config} shows them). */
    public Project project() {
        return project;
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
        if (!project.services().containsKey(service)) {
            throw new IllegalArgumentException("no service \"" + service + "\" in project " + project.name()
                    + " (services: " + String.join(", ", project.services().keySet()) + ")");
        }
        return new ServiceHandle(this, service, index);
    }

    /** Takes the stack down with its volumes and orphans; does nothing the second time. */
    public synchronized void down() {
        if (down) {
            return;
        }
        try {
            var plan = Planner.down(project, ObservedState.observe(engine, project.name()),
                    new DownOptions(true, true, stopTimeoutSeconds));
            new Reconciler(engine, e -> {}, new ReconcileOptions(null, stopTimeoutSeconds, false, null, null)).down(plan);
            down = true;
        } catch (ReconcileException | EngineException e) {
            throw new ComposeException("down of " + project.name() + " failed: " + e.getMessage(), e);
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
        return client;
    }

    ApiEngine engine() {
        return engine;
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
            reconcileUp(startupTimeout);
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

    private void reconcileUp(Duration startupTimeout) {
        List<ProgressEvent> errors = new CopyOnWriteArrayList<>();
        Plan plan;
        try {
            plan = Planner.up(project, ObservedState.observe(engine, project.name()),
                    UpOptions.defaults().withExtraLabels(ComposeSession.current().labels()));
        } catch (DependencyException | IllegalArgumentException e) {
            throw new ComposeException(e.getMessage(), e);
        }
        ReconcileOptions options = new ReconcileOptions(null, stopTimeoutSeconds, true, startupTimeout, Duration.ofMillis(200));
        try {
            new Reconciler(engine, e -> {
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
                        ServiceHandle.lastLogLines(client, c.get().id(), ServiceNotReadyException.LOG_LINES), e);
            }
        }
        return new ComposeException("up of " + project.name() + " failed: " + e.getMessage(), e);
    }

    private Optional<ContainerSummary> containerNamed(String name) {
        return ServiceContainers.of(client, project.name(), List.of(), true).stream()
                .filter(c -> c.names() != null && (c.names().contains("/" + name) || c.names().contains(name)))
                .findFirst();
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
                for (ContainerSummary c : ServiceContainers.of(client, project.name(), List.of(w.getKey()), true)) {
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
            throw new ComposeException("interrupted while waiting for " + project.name() + " to be ready", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
