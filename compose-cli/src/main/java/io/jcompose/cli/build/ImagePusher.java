package io.jcompose.cli.build;

import io.jcompose.cli.engine.ApiEngine;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.model.ProgressMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Pushes the images of services that are built and named ({@code build:} and {@code image:}),
 * as compose v2's {@code push} does ({@code pkg/compose/push.go}): {@code POST /images/{name}/push}
 * per image, shown as {@code <service> Pushing} / {@code Pushed} with the layers' statuses below.
 */
public final class ImagePusher {
    private final EngineClient client;
    private final Progress progress;

    /**
     * @param client the engine
     * @param progress where the push is shown
     */
    public ImagePusher(EngineClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
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
        String[] ref = ApiEngine.referenceParts(service.image());
        String id = service.name();
        progress.on(ProgressEvent.of(id, EventStatus.WORKING, "Pushing"));
        try (JsonLines<ProgressMessage> lines = client.pushImage(ref[0], ref[1], null)) {
            for (ProgressMessage m = lines.next(); m != null; m = lines.next()) {
                if (m.error() != null || m.errorDetail() != null) {
                    String why = m.errorDetail() != null && m.errorDetail().message() != null ? m.errorDetail().message() : m.error();
                    progress.on(ProgressEvent.error(id, why));
                    throw new BuildFailure(why, 1);
                }
                if (m.id() != null && m.status() != null && !m.id().equals(ref[1])) {
                    long current = m.progressDetail() != null && m.progressDetail().current() != null ? m.progressDetail().current() : 0;
                    long total = m.progressDetail() != null && m.progressDetail().total() != null ? m.progressDetail().total() : 0;
                    boolean done = m.status().equals("Pushed") || m.status().equals("Layer already exists");
                    progress.on(new ProgressEvent(m.id(), id, m.status(), "", done ? EventStatus.DONE : EventStatus.WORKING, current, total,
                            total > 0 ? (int) (current * 100 / total) : 0));
                }
            }
        } catch (EngineApiException e) {
            progress.on(ProgressEvent.error(id, e.getMessage()));
            throw new BuildFailure("Error response from daemon: " + e.getMessage(), 1);
        } catch (IOException | UncheckedIOException e) {
            progress.on(ProgressEvent.error(id, e.getMessage()));
            throw new BuildFailure("push of " + service.image() + " failed: " + e.getMessage(), 1);
        }
        progress.on(ProgressEvent.of(id, EventStatus.DONE, "Pushed"));
    }
}
