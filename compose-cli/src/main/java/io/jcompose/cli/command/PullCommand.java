package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.cli.engine.ApiMapping;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.cli.progress.ProgressMode;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose pull [SERVICE...]}: pulls the services' images in parallel, as compose does:
 * {@code <service> Pulling} / {@code Pulled} (layers under it), {@code Skipped} for services
 * whose pull policy says so or that only build, one pull per image; a failure is exit code 18
 * unless {@code --ignore-pull-failures}.
 */
@Command(name = "pull", description = "Pull service images")
public final class PullCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Pull without printing progress information")
    boolean quiet;

    @Option(names = "--ignore-pull-failures", description = "Pull what it can and ignores images with pull failures")
    boolean ignoreFailures;

    @Option(names = "--include-deps", description = "Also pull services declared as dependencies")
    boolean includeDeps;

    @Option(names = "--ignore-buildable", description = "Ignore images that can be built")
    boolean ignoreBuildable;

    @Option(names = "--policy", paramLabel = "<string>", description = "Apply pull policy (\"missing\"|\"always\")")
    String policy;

    @Override
    public void run() {
        if (policy != null && !policy.equals("missing") && !policy.equals("always")) {
            throw new UsageException("invalid --policy option \"" + policy + "\"");
        }
        ComposeContext ctx = new ComposeContext(root, spec);
        Project project = ComposeContext.supplyOneLine(ctx::project);
        List<Service> selected = ComposeContext.supplyOneLine(() -> select(project, services, includeDeps));
        EngineClient client = ComposeContext.supplyOneLine(ctx::client);
        Progress progress = quiet ? Progress.open(ProgressMode.QUIET, null, false, false, true, null) : ctx.progress();
        boolean ok = false;
        progress.start("pull");
        try {
            pull(client, selected, progress);
            ok = true;
        } finally {
            progress.done("pull", ok);
        }
    }

    /** The named services (all when none), with their dependencies for {@code --include-deps}, by name. */
    static List<Service> select(Project project, List<String> names, boolean withDependencies) {
        if (names.isEmpty()) {
            return List.copyOf(project.services().values());
        }
        Set<String> keep = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(names);
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            Service s = project.service(name); // "no such service: x"
            if (keep.add(name) && withDependencies) {
                todo.addAll(s.dependsOn().keySet());
            }
        }
        return project.services().values().stream().filter(s -> keep.contains(s.name())).toList();
    }

    private void pull(EngineClient client, List<Service> selected, Progress progress) {
        Map<String, String> pulling = new LinkedHashMap<>(); // image → the service pulling it
        List<Service> toPull = new ArrayList<>();
        for (Service s : selected) {
            String skip = skipReason(client, s, pulling);
            if (skip != null) {
                progress.on(ProgressEvent.of(s.name(), EventStatus.DONE, skip));
                continue;
            }
            pulling.put(s.image(), s.name());
            toPull.add(s);
        }
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<String> mustBuild = new ArrayList<>();
        String unexpected = ImageStreams.inParallel(toPull, s -> {
            try {
                pullOne(client, s, progress, RegistryLogins.authJson(root.environment(), s.image()), true);
            } catch (ImageStreams.Failure e) {
                if (s.build() != null) {
                    synchronized (mustBuild) {
                        mustBuild.add(s.name());
                    }
                    progress.on(ProgressEvent.of(s.name(), EventStatus.WARNING, "Warning").withDetails(e.unwrapped()));
                } else {
                    progress.on(ProgressEvent.error(s.name(), e.unwrapped()));
                    firstFailure.compareAndSet(null, e.getMessage());
                }
            }
        });
        if (unexpected != null) {
            firstFailure.compareAndSet(null, unexpected);
        }
        if (!mustBuild.isEmpty()) {
            ctxErr("WARNING: Some service image(s) must be built from source by running:\n    docker compose build "
                    + String.join(" ", mustBuild));
        }
        if (firstFailure.get() != null && !ignoreFailures) {
            throw new CliException(firstFailure.get(), ExitCodes.PULL_FAILURE);
        }
    }

    private void ctxErr(String message) {
        spec.commandLine().getErr().println(message);
        spec.commandLine().getErr().flush();
    }

    /** compose's reasons not to pull a service's image, or null to pull it. */
    private String skipReason(EngineClient client, Service s, Map<String, String> pulling) {
        if (s.image() == null || s.image().isEmpty()) {
            return "Skipped - No image to be pulled";
        }
        String pullPolicy = policy != null ? policy : s.pullPolicy() == null ? "" : s.pullPolicy();
        switch (pullPolicy) {
            case "never", "build" -> {
                return "Skipped";
            }
            case "missing", "if_not_present" -> {
                if (present(client, s.image())) {
                    return "Skipped - Image is already present locally";
                }
            }
            default -> { }
        }
        if (s.build() != null && ignoreBuildable) {
            return "Skipped - Image can be built";
        }
        String other = pulling.get(s.image());
        return other == null ? null : "Skipped - Image is already being pulled by " + other;
    }

    private static boolean present(EngineClient client, String image) {
        try {
            client.inspectImage(image);
            return true;
        } catch (EngineApiException e) {
            return false;
        }
    }

    /**
     * One service's image, shown as compose shows it: {@code Pulling}, its layers under it (unless
     * {@code layers} is false: {@code --quiet-pull}), {@code Pulled}.
     *
     * @param auth the {@code X-Registry-Auth} value (the user's login), or null
     * @throws ImageStreams.Failure when the engine or the registry refused the pull
     */
    static void pullOne(EngineClient client, Service s, Progress progress, String auth, boolean layers) {
        progress.on(ProgressEvent.of(s.name(), EventStatus.WORKING, "Pulling"));
        String[] p = ApiMapping.pullParameters(s.image());
        ImageStreams.follow(() -> client.pullImage(p[0], p[1], s.platform(), auth), m -> {
            if (layers && m.id() != null && !m.id().isEmpty() && m.progressDetail() != null) {
                ImageStreams.layerEvent(progress, s.name(), m.id(), m);
            }
        });
        progress.on(ProgressEvent.of(s.name(), EventStatus.DONE, "Pulled"));
    }
}
