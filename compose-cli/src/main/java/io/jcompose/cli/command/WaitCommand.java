package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.plan.DownOptions;
import io.jcompose.planner.plan.DownPlan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose wait SERVICE...}: waits for the services' running containers (one-offs too)
 * to stop, printing {@code container "<id>" exited with status code N} for each, and exits with
 * the code of the last one to stop (docker/compose 2.26 {@code pkg/compose/wait.go}, which waits
 * for all of them despite its help text). {@code --down-project} then takes the project down.
 */
@Command(name = "wait", description = "Block until the first service container stops")
public final class WaitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = "--down-project", description = "Drops project when the first container stops")
    boolean downProject;

    @Parameters(paramLabel = "SERVICE", arity = "1..*")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() {
        ComposeContext ctx = new ComposeContext(root, spec);
        Project project = ctx.projectOrNull();
        String name = ctx.projectName(project);
        EngineClient client = ctx.client();
        List<ContainerSummary> containers = ComposeContext.supplyOneLine(() -> running(client, name, services));
        if (containers.isEmpty()) {
            throw new CliException("no containers for project \"" + name + "\"", ExitCodes.FAILURE);
        }
        AtomicInteger last = new AtomicInteger();
        PrintWriter out = ctx.out();
        try (ExecutorService pool = ctx.threads().newExecutor("jcompose-wait")) {
            List<Future<?>> waits = new ArrayList<>();
            for (ContainerSummary c : containers) {
                waits.add(pool.submit(() -> {
                    int code = (int) client.waitContainer(c.id(), "not-running").statusCode();
                    synchronized (out) {
                        last.set(code);
                        out.println("container \"" + c.id() + "\" exited with status code " + code);
                        out.flush();
                    }
                    return null;
                }));
            }
            for (Future<?> f : waits) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new CliException(e.getCause().getMessage(), ExitCodes.FAILURE, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.INTERRUPTED;
                }
            }
        }
        if (downProject) {
            ComposeContext.oneLine(() -> ctx.locked(name, () -> {
                DownPlan plan = Planner.down(project, ctx.observe(name), new DownOptions(false, true, null));
                ctx.withReconciler("down", true, ReconcileOptions.defaults(), op -> op.reconciler().down(plan));
            }));
        }
        return last.get();
    }

    /** The running containers of the services, one-off containers included (compose's {@code oneOffInclude}). */
    static List<ContainerSummary> running(EngineClient client, String project, List<String> services) {
        Map<String, Set<String>> f = new LinkedHashMap<>();
        f.put("label", new LinkedHashSet<>(List.of(ComposeLabels.filter(ComposeLabels.PROJECT, project))));
        return client.listContainers(false, new Filters(f)).stream()
                .filter(c -> services.contains(ServiceContainers.service(c)))
                .toList();
    }
}
