package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.build.BuildFailure;
import io.jcompose.cli.build.ImagePusher;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.QuietProgress;
import io.jcompose.model.Project;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose push [SERVICE...]}: pushes the images of services that have both
 * {@code build:} and {@code image:} (compose v2's {@code push}).
 */
@Command(name = "push", description = "Push service images")
public final class PushCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Option(names = "--ignore-push-failures", description = "Push what it can and ignores images with push failures")
    boolean ignoreFailures;

    @Option(names = "--include-deps", description = "Also push images of services declared as dependencies")
    boolean includeDeps;

    @Option(names = {"-q", "--quiet"}, description = "Push without printing progress information")
    boolean quiet;

    @Override
    public Integer call() {
        ComposeContext ctx = new ComposeContext(root, spec);
        try {
            ComposeContext.oneLine(() -> {
                Project project = ctx.project();
                List<String> named = args.services.isEmpty() ? List.of()
                        : io.jcompose.cli.build.ProjectBuilder.select(project, args.services, includeDeps);
                Progress display = quiet ? new QuietProgress() : ctx.progress();
                new ImagePusher(ctx.client(), display).pushAll(ImagePusher.pushable(project, named), ignoreFailures);
            });
        } catch (BuildFailure e) {
            throw new CliException(e.getMessage(), e.exitCode(), e);
        }
        return 0;
    }
}
