package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.DownPlan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.reconcile.ReconcileOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose stop}: stops the services' running containers, dependents first. */
@Command(name = "stop", description = "Stop services")
public final class StopCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-t", "--timeout"}, paramLabel = "<seconds>", description = "Specify a shutdown timeout in seconds")
    Integer timeout;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project project = ctx.projectOrNull();
            ctx.locked(ctx.projectName(project), () -> {
                ObservedState observed = ctx.observe(ctx.projectName(project));
                DownPlan plan = Planner.stop(project, observed, services, timeout);
                plan.warnings().forEach(ctx::warn);
                ctx.withReconciler("stop", true, new ReconcileOptions(null, timeout, false, null, null), op -> op.reconciler().stop(plan));
            });
        });
    }
}
