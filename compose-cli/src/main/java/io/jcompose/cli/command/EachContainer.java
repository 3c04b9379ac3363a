package io.jcompose.cli.command;

import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The shape of {@code kill}, {@code pause} and {@code unpause}: one engine call per service
 * container, shown on the progress display as compose shows it ({@code Container demo-web-1 Killing},
 * then {@code Killed}). The first failure is the command's one-line error.
 *
 * @param operation the display's operation name ({@code kill})
 * @param working the word while it runs ({@code Killing})
 * @param done the word when it is done ({@code Killed})
 */
record EachContainer(String operation, String working, String done) {
    /**
     * Runs {@code action} on the running containers of the services.
     *
     * @return the containers acted on (empty when none runs)
     */
    List<ContainerSummary> run(ComposeContext ctx, List<String> services, BiConsumer<EngineClient, String> action) {
        List<ContainerSummary> containers = ComposeContext.supplyOneLine(() -> {
            Project p = ctx.projectOrNull();
            return ServiceContainers.of(ctx.client(), ctx.projectName(p), services, false);
        });
        Progress progress = ctx.progress();
        boolean ok = false;
        progress.start(operation);
        try {
            ComposeContext.oneLine(() -> {
                for (ContainerSummary c : containers) {
                    String id = "Container " + PsCommand.name(c);
                    progress.on(ProgressEvent.of(id, EventStatus.WORKING, working));
                    action.accept(ctx.client(), c.id());
                    progress.on(ProgressEvent.of(id, EventStatus.DONE, done));
                }
            });
            ok = true;
        } finally {
            progress.done(operation, ok);
        }
        return containers;
    }
}
