package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.planner.graph.ServiceGraph;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.reconcile.ReconcileOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose start}: starts the services' existing containers in dependency order
 * (compose's {@code start}: it creates nothing; a service without containers is an error).
 */
@Command(name = "start", description = "Start services")
public final class StartCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project project = ctx.project();
            ServiceGraph graph = ServiceGraph.of(project, ctx::warn);
            ctx.locked(project.name(), () -> ctx.withReconciler("start", true, ReconcileOptions.defaults(), op -> {
                Map<String, List<ObservedContainer>> byService = ObservedState.observe(op.engine(), project.name()).byService();
                for (String service : graph.startOrder()) {
                    if (!services.isEmpty() && !services.contains(service)) {
                        continue;
                    }
                    List<ObservedContainer> containers = byService.getOrDefault(service, List.of());
                    if (containers.isEmpty() && services.contains(service)) {
                        throw new CliException("service \"" + service + "\" has no container to start", ExitCodes.FAILURE);
                    }
                    for (ObservedContainer c : containers) {
                        if (c.running()) {
                            continue;
                        }
                        String id = "Container " + c.name();
                        op.progress().on(ProgressEvent.starting(id));
                        op.engine().startContainer(c.id());
                        op.progress().on(ProgressEvent.started(id));
                    }
                }
            }));
        });
    }
}
