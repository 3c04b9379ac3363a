package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.engine.ApiMapping;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.cli.progress.ProgressMode;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.runtime.api.client.EngineClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose push [SERVICE...]}: pushes the images of the services that build one and name
 * it ({@code build} and {@code image}, plus {@code build.tags}), in parallel, as compose does;
 * other services show {@code Skipped}. Layers show as {@code Pushing <tag>: <layer> <status>}.
 */
@Command(name = "push", description = "Push service images")
public final class PushCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Push without printing progress information")
    boolean quiet;

    @Option(names = "--ignore-push-failures", description = "Push what it can and ignores images with push failures")
    boolean ignoreFailures;

    @Option(names = "--include-deps", description = "Also push images of services declared as dependencies")
    boolean includeDeps;

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        Project project = ComposeContext.supplyOneLine(ctx::project);
        List<Service> selected = ComposeContext.supplyOneLine(() -> PullCommand.select(project, services, includeDeps));
        EngineClient client = ComposeContext.supplyOneLine(ctx::client);
        Progress progress = quiet ? Progress.open(ProgressMode.QUIET, null, false, false, true, null) : ctx.progress();
        boolean ok = false;
        progress.start("push");
        try {
            push(ctx, client, selected, progress);
            ok = true;
        } finally {
            progress.done("push", ok);
        }
    }

    private void push(ComposeContext ctx, EngineClient client, List<Service> selected, Progress progress) {
        AtomicReference<String> firstFailure = new AtomicReference<>();
        record Tag(Service service, String tag) {}
        List<Tag> tags = new ArrayList<>();
        for (Service s : selected) {
            if (s.build() == null || s.image() == null || s.image().isEmpty()) {
                progress.on(ProgressEvent.of(s.name(), EventStatus.DONE, "Skipped"));
                continue;
            }
            tags.add(new Tag(s, s.image()));
            if (s.build().tags() != null) {
                s.build().tags().forEach(t -> tags.add(new Tag(s, t)));
            }
        }
        String unexpected = ImageStreams.inParallel(tags, t -> {
            try {
                pushImage(client, t.tag(), progress, root.environment());
            } catch (ImageStreams.Failure e) {
                if (ignoreFailures) {
                    ctx.err().println("Pushing " + t.service().name() + ": " + e.getMessage());
                    ctx.err().flush();
                } else {
                    firstFailure.compareAndSet(null, e.getMessage());
                }
            }
        });
        if (unexpected != null) {
            firstFailure.compareAndSet(null, unexpected);
        }
        if (firstFailure.get() != null) {
            throw new CliException(firstFailure.get(), ExitCodes.FAILURE);
        }
    }

    /**
     * Pushes one image, its layers shown as {@code Pushing <tag>: <layer> <status>}, with the
     * user's registry login ({@link RegistryLogins#authJson}). Also what {@code build --push} uses.
     *
     * @throws ImageStreams.Failure when the engine or the registry refused it (its message is for the user)
     */
    public static void pushImage(EngineClient client, String tag, Progress progress, java.util.Map<String, String> env) {
        String[] p = ApiMapping.pullParameters(tag);
        String parent = "Pushing " + tag;
        String auth = RegistryLogins.authJson(env, tag);
        ImageStreams.follow(() -> client.pushImage(p[0], p[1], auth), m -> {
            if (m.id() != null && !m.id().isEmpty()) {
                ImageStreams.layerEvent(progress, null, parent + ": " + m.id(), m);
            }
        });
    }
}
