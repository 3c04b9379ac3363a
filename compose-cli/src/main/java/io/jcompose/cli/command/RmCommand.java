package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.reconcile.ReconcileOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose rm}: removes stopped service containers; asks first unless {@code -f}, as
 * compose does ({@code Going to remove ...} / {@code Are you sure? [yN]}).
 */
@Command(name = "rm", description = "Removes stopped service containers")
public final class RmCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-f", "--force"}, description = "Don't ask to confirm removal")
    boolean force;

    @Option(names = {"-s", "--stop"}, description = "Stop the containers, if required, before removing")
    boolean stop;

    @Option(names = {"-v", "--volumes"}, description = "Remove any anonymous volumes attached to containers")
    boolean volumes;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project project = ctx.projectOrNull();
            ObservedState observed = ctx.observe(ctx.projectName(project));
            List<ObservedContainer> targets = observed.containers().stream()
                    .filter(c -> !c.oneOff())
                    .filter(c -> services.isEmpty() || services.contains(c.service()))
                    .filter(c -> stop || !c.running())
                    .toList();
            if (targets.isEmpty()) {
                ctx.err().println("No stopped containers");
                ctx.err().flush();
                return;
            }
            if (!force && !confirm(ctx, targets, root.stdin())) {
                return;
            }
            ctx.withReconciler("rm", true, ReconcileOptions.defaults(), op -> {
                for (ObservedContainer c : targets) {
                    String id = "Container " + c.name();
                    if (c.running()) {
                        op.progress().on(ProgressEvent.stopping(id));
                        op.engine().stopContainer(c.id(), null);
                        op.progress().on(ProgressEvent.stopped(id));
                    }
                    op.progress().on(ProgressEvent.removing(id));
                    op.engine().removeContainer(c.id(), true, volumes);
                    op.progress().on(ProgressEvent.removed(id));
                }
            });
        });
    }

    private static boolean confirm(ComposeContext ctx, List<ObservedContainer> targets, java.io.InputStream stdin) {
        var err = ctx.err();
        err.println("Going to remove " + String.join(", ", targets.stream().map(ObservedContainer::name).toList()));
        err.print("Are you sure? [yN] ");
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
