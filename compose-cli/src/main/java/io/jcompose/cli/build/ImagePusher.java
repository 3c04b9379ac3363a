package io.jcompose.cli.build;

import io.jcompose.cli.command.ImageStreams;
import io.jcompose.cli.command.PushCommand;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.runtime.api.client.EngineClient;
import java.util.List;
import java.util.Map;

/**
 * Pushes the images of services that are built and named ({@code build:} and {@code image:}),
 * as compose v2's {@code push} does ({@code pkg/compose/push.go}): {@code POST /images/{name}/push}
 * per image, shown as {@code <service> Pushing} / {@code Pushed} with the layers' statuses below.
 */
public final class ImagePusher {
    private final EngineClient client;
    private final Progress progress;
    private final Map<String, String> env;

    /**
     * @param client the engine
     * @param progress where the push is shown
     * @param env the run's environment (where the Docker config with the registry logins is)
     */
    public ImagePusher(EngineClient client, Progress progress, Map<String, String> env) {
        this.client = client;
        this.progress = progress;
        this.env = env;
    }

    /**
     * The services {@code push} acts on: those with both a build section and an image name.
     *
     * @param project the project
     * @param services the services named on the command line (all when empty)
     * @return the services to push, in name order
     */
    public static List<Service> pushable(Project project, List<String> services) {
        return project.services().values().stream()
                .filter(s -> services.isEmpty() || services.contains(s.name()))
                .filter(s -> s.build() != null && s.image() != null && !s.image().isEmpty())
                .toList();
    }

    /**
     * Pushes the services' images one after the other inside one {@code push} display.
     *
     * @param services services with {@code image:} ({@link #pushable})
     * @param ignoreFailures go on after a failed push ({@code --ignore-push-failures})
     * @throws BuildFailure at the first failed push, unless failures are ignored
     */
    public void pushAll(List<Service> services, boolean ignoreFailures) {
        if (services.isEmpty()) {
            return;
        }
        boolean ok = false;
        progress.start("push");
        try {
            for (Service s : services) {
                try {
                    push(s);
                } catch (BuildFailure e) {
                    if (!ignoreFailures) {
                        throw e;
                    }
                }
            }
            ok = true;
        } finally {
            progress.done("push", ok);
        }
    }

    /**
     * Pushes one service's image.
     *
     * @param service a service with {@code image:}
     * @throws BuildFailure when the engine or the registry refused it
     */
    public void push(Service service) {
        String id = service.name();
        progress.on(ProgressEvent.of(id, EventStatus.WORKING, "Pushing"));
        try {
            // The same push as `jcompose push` (display, registry login from the Docker config).
            PushCommand.pushImage(client, service.image(), progress, env);
        } catch (ImageStreams.Failure e) {
            progress.on(ProgressEvent.error(id, e.unwrapped()));
            throw new BuildFailure(e.getMessage(), 1);
        }
        progress.on(ProgressEvent.of(id, EventStatus.DONE, "Pushed"));
    }
}
