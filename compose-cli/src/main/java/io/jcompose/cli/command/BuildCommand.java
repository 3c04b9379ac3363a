package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.build.BuildFailure;
import io.jcompose.cli.build.BuildFlags;
import io.jcompose.cli.build.ImagePusher;
import io.jcompose.cli.build.ProjectBuilder;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.QuietProgress;
import io.jcompose.model.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose build [SERVICE...]}: builds the images of services with a {@code build:}
 * section through the engine's {@code POST /build} (compose v2's classic builder path), showing
 * the builder's stream on stdout; {@code --push} then pushes the named images. A failed
 * {@code RUN} exits with that step's status, as compose does.
 */
@Command(name = "build", description = "Build or rebuild services")
public final class BuildCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Option(names = "--build-arg", paramLabel = "<stringArray>", description = "Set build-time variables for services")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;

    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image")
    boolean pull;

    @Option(names = "--push", description = "Push service images")
    boolean push;

    @Option(names = {"-q", "--quiet"}, description = "Don't print anything to STDOUT")
    boolean quiet;

    @Option(names = "--with-dependencies", description = "Also build dependencies (transitively)")
    boolean withDependencies;

    @Option(names = "--progress", hidden = true, paramLabel = "<string>", description = "Set type of ui output (auto, tty, plain, json, quiet)")
    String progress;

    @Option(names = {"-m", "--memory"}, paramLabel = "<bytes>", description = "Set memory limit for the build container. Not supported by BuildKit.")
    String memory;

    @Option(names = "--builder", paramLabel = "<string>", description = "Set builder to use")
    String builder;

    @Option(names = "--ssh", paramLabel = "<string>", description = "Set SSH authentications used when building service images. (use 'default' for using your default SSH Agent)")
    String ssh;

    @Override
    public Integer call() {
        if (ssh != null) {
            throw new CliException("--ssh is not supported by the engine's builder (POST /build)", 1);
        }
        ComposeContext ctx = new ComposeContext(root, spec);
        boolean silent = quiet || "quiet".equals(progress);
        try {
            ComposeContext.oneLine(() -> {
                Project project = ctx.project();
                BuildFlags flags = new BuildFlags(BuildFlags.parseArgs(buildArgs), noCache, pull, silent);
                List<String> services = ProjectBuilder.select(project, args.services, withDependencies);
                new ProjectBuilder(ctx.client(), ctx.out()).build(project, services, flags);
                if (push) {
                    push(ctx, project, args.services, silent);
                }
            });
        } catch (BuildFailure e) {
            throw new CliException(e.getMessage(), e.exitCode(), e);
        }
        return 0;
    }

    /** Pushes the built, named images of the services, with the progress display. */
    static void push(ComposeContext ctx, Project project, List<String> services, boolean quiet) {
        Progress display = quiet ? new QuietProgress() : ctx.progress();
        new ImagePusher(ctx.client(), display, ctx.environment()).pushAll(ImagePusher.pushable(project, services), false);
    }
}
