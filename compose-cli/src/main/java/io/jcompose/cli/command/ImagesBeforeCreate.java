package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.build.BuildFailure;
import io.jcompose.cli.build.BuildFlags;
import io.jcompose.cli.build.ProjectBuilder;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.build.BuildPolicy;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The images step of {@code up}, {@code create} and {@code run} before any container is made
 * (compose's {@code ensureImagesExists}): the images of services with both {@code image:} and
 * {@code build:} that {@link BuildPolicy#toPullFirst} names are pulled (a failure is a
 * {@code Warning} line: the image is built instead), then {@link BuildPolicy#toBuild} services
 * are built through {@link ProjectBuilder}. Images of services without a build section are the
 * reconciler's to pull.
 */
final class ImagesBeforeCreate {
    private final EngineClient client;
    private final PrintWriter out;
    private final Supplier<Progress> progress;
    private final boolean quietPull;
    private final Function<String, String> registryAuth;

    /**
     * @param client the engine
     * @param out where build streams are shown (stdout)
     * @param progress opens the display for the pulls (only called when something is pulled)
     * @param quietPull {@code --quiet-pull}: no layer lines
     * @param registryAuth the user's registry login for an image ({@code X-Registry-Auth}, null: none)
     */
    ImagesBeforeCreate(EngineClient client, PrintWriter out, Supplier<Progress> progress, boolean quietPull,
            Function<String, String> registryAuth) {
        this.client = client;
        this.out = out;
        this.progress = progress;
        this.registryAuth = registryAuth;
        this.quietPull = quietPull;
    }

    /** For a command's context. */
    static ImagesBeforeCreate of(ComposeContext ctx, boolean quietPull) {
        return new ImagesBeforeCreate(ctx.client(), ctx.out(), ctx::progress, quietPull, ctx::registryAuth);
    }

    /**
     * Pulls, then builds, what compose would.
     *
     * @param project the project
     * @param services the services acted on (with their dependencies)
     * @param policy the flags
     * @return image id by service name, for the services built
     * @throws CliException when a build fails (with the build's exit code)
     */
    Map<String, String> ensure(Project project, Collection<String> services, BuildPolicy policy) {
        List<String> pullFirst = policy.toPullFirst(project, services, this::present);
        if (!pullFirst.isEmpty()) {
            pull(project, pullFirst);
        }
        List<String> toBuild = policy.toBuild(project, services, this::present);
        if (toBuild.isEmpty()) {
            return Map.of();
        }
        try {
            return new ProjectBuilder(client, out).build(project, toBuild, BuildFlags.none());
        } catch (BuildFailure e) {
            throw new CliException(e.getMessage(), e.exitCode(), e);
        }
    }

    /** compose's pullServiceImage for buildable services: a failure is a warning, never an error. */
    private void pull(Project project, List<String> names) {
        Progress display = progress.get();
        display.start("pull");
        try {
            ImageStreams.inParallel(names, name -> {
                Service s = project.service(name);
                try {
                    PullCommand.pullOne(client, s, display, registryAuth.apply(s.image()), !quietPull);
                } catch (ImageStreams.Failure e) {
                    display.on(ProgressEvent.of(name, EventStatus.WARNING, "Warning").withDetails(e.unwrapped()));
                }
            });
        } finally {
            display.done("pull", true);
        }
    }

    private boolean present(String reference) {
        try {
            client.inspectImage(reference);
            return true;
        } catch (EngineApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }
}
