package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.planner.graph.ServiceGraph;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.reconcile.ReconcileOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose restart}: restarts the services' containers in dependency order. */
@Command(name = "restart", description = "Restart service containers")
public final class RestartCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-t", "--timeout"}, paramLabel = "<seconds>", description = "Specify a shutdown timeout in seconds")
    Integer timeout;

    @Option(names = "--no-deps", description = "Don't restart dependent services")
    boolean noDeps;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project project = ctx.project();
            ServiceGraph graph = ServiceGraph.of(project, ctx::warn);
            Map<String, List<ObservedContainer>> byService =
                    ctx.observe(project.name()).byService();
            ctx.withReconciler("restart", true, ReconcileOptions.defaults(), op -> {
                for (String service : graph.startOrder()) {
                    if (!services.isEmpty() && !services.contains(service)) {
                        continue;
                    }
                    for (ObservedContainer c : byService.getOrDefault(service, List.of())) {
                        String id = "Container " + c.name();
                        op.progress().on(ProgressEvent.of(id, EventStatus.WORKING, "Restarting"));
                        ComposeContext.oneLine(() -> ctx.client().restartContainer(c.id(), timeout));
                        op.progress().on(ProgressEvent.of(id, EventStatus.DONE, "Started"));
                    }
                }
            });
        });
    }
}
