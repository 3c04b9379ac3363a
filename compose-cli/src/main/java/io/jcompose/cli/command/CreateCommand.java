package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.model.Project;
import io.jcompose.planner.build.BuildPolicy;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.Plan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.plan.Recreate;
import io.jcompose.planner.plan.UpOptions;
import io.jcompose.planner.reconcile.ReconcileOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose create}: {@code up --no-start} (docker/compose {@code cmd/compose/create.go}):
 * networks, volumes and containers, none started; images pulled and built first as for {@code up}
 * ({@code --build}, {@code --no-build}, {@code pull_policy}).
 */
@Command(name = "create", description = "Creates containers for a service")
public final class CreateCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = "--build", description = "Build images before starting containers")
    boolean build;

    @Option(names = "--no-build", description = "Don't build an image, even if it's policy")
    boolean noBuild;

    @Option(names = "--force-recreate", description = "Recreate containers even if their configuration and image haven't changed")
    boolean forceRecreate;

    @Option(names = "--no-recreate", description = "If containers already exist, don't recreate them. Incompatible with --force-recreate.")
    boolean noRecreate;

    @Option(names = "--pull", paramLabel = "<string>", defaultValue = "policy",
            description = "Pull image before running (\"always\"|\"missing\"|\"never\"|\"build\")")
    String pull;

    @Option(names = "--quiet-pull", description = "Pull without printing progress information")
    boolean quietPull;

    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;

    @Option(names = "--scale", paramLabel = "<scale>", description = "Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present.")
    List<String> scale = new ArrayList<>();

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
        if (build && noBuild) {
            throw new UsageException("--build and --no-build are incompatible");
        }
        if (forceRecreate && noRecreate) {
            throw new UsageException("--force-recreate and --no-recreate are incompatible");
        }
        String policy = UpCommand.pullPolicy(pull);
        UpOptions options = new UpOptions(services, false,
                forceRecreate ? Recreate.FORCE : noRecreate ? Recreate.NEVER : Recreate.DIVERGED,
                Recreate.DIVERGED, false, removeOrphans, UpCommand.scales(scale), true);
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project project = ctx.project();
            ctx.locked(project.name(), () -> {
                ObservedState observed = ctx.observe(project.name());
                Plan planned = Planner.up(project, observed, options);
                ImagesBeforeCreate.of(ctx, quietPull).ensure(project, planned.services().keySet(), BuildPolicy.of(build, noBuild, policy));
                // as up: containers whose built image changed are recreated
                Plan plan = Planner.up(project, observed, options, UpCommand.builtImageIds(ctx, project, planned));
                plan.warnings().forEach(ctx::warn);
                ctx.withReconciler("create", true, quietPull, new ReconcileOptions(policy, null, false, null, null),
                        op -> op.reconciler().up(plan));
            });
        });
    }
}
