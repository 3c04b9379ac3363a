package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.DownOptions;
import io.jcompose.planner.plan.DownPlan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose down}: stops and removes the project's containers and networks (and with
 * {@code -v} its volumes, with {@code --rmi} its images). Works without a Compose file when
 * {@code -p} names the project, as compose does, from the containers' labels.
 */
@Command(name = "down", description = "Stop and remove containers, networks")
public final class DownCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-v", "--volumes"}, description = "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers")
    boolean volumes;

    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;

    @Option(names = {"-t", "--timeout"}, paramLabel = "<seconds>", description = "Specify a shutdown timeout in seconds")
    Integer timeout;

    @Option(names = "--rmi", paramLabel = "<type>", description = "Remove images used by services. \"local\" remove only images that don't have a custom tag (\"local\"|\"all\")")
    String rmi;

    @Override
    public void run() {
        if (rmi != null && !rmi.equals("local") && !rmi.equals("all")) {
            throw new UsageException("invalid value for --rmi: \"" + rmi + "\"");
        }
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project project = ctx.projectOrNull();
            String name = ctx.projectName(project);
            ctx.locked(name, () -> {
                ObservedState observed = ctx.observe(name);
                DownPlan plan = Planner.down(project, observed, new DownOptions(volumes, removeOrphans, timeout));
                plan.warnings().forEach(ctx::warn);
                ctx.withReconciler("down", true, new ReconcileOptions(null, timeout, false, null, null), op -> {
                    op.reconciler().down(plan);
                    if (rmi != null && project != null) {
                        removeImages(ctx.client(), project, rmi.equals("all"), op);
                    }
                });
            });
        });
    }

    /** {@code --rmi}: every service image ({@code all}) or only those compose names itself ({@code local}). */
    private static void removeImages(EngineClient client, Project project, boolean all, ComposeContext.Operation op) {
        Set<String> images = new LinkedHashSet<>();
        for (Service s : project.services().values()) {
            boolean custom = s.image() != null && !s.image().isEmpty();
            if (all || !custom) {
                images.add(ContainerRequests.imageName(project, s));
            }
        }
        for (String image : images) {
            String id = "Image " + image;
            try {
                client.inspectImage(image);
            } catch (EngineApiException e) {
                continue; // not present: compose lists only the images it finds
            }
            op.progress().on(ProgressEvent.removing(id));
            try {
                client.removeImage(image, false);
                op.progress().on(ProgressEvent.removed(id));
            } catch (EngineApiException e) {
                op.progress().on(ProgressEvent.error(id, e.getMessage()));
            }
        }
    }
}
