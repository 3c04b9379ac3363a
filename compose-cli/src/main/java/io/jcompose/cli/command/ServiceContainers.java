package io.jcompose.cli.command;

import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a project's service containers by Compose's labels, the way the per-container commands
 * ({@code exec}, {@code kill}, {@code pause}, {@code port}...) address them: by service and
 * replica number, one-off containers excluded. Public for the test API ({@code compose-testing}).
 */
public final class ServiceContainers {
    private ServiceContainers() {}

    /**
     * The project's service containers of {@code services} (all services when empty), ordered by
     * service then replica number.
     *
     * @param all also stopped containers
     */
    public static List<ContainerSummary> of(EngineClient client, String project, List<String> services, boolean all) {
        return ofProject(client, project, services, all, false);
    }

    /**
     * As {@link #of}, choosing whether one-off ({@code run}) containers count, as compose's
     * {@code oneOffInclude} does for {@code top}, {@code images} and {@code cp --all}.
     */
    static List<ContainerSummary> ofProject(EngineClient client, String project, List<String> services, boolean all, boolean oneOffs) {
        Map<String, Set<String>> f = new LinkedHashMap<>();
        f.put("label", new LinkedHashSet<>(ComposeContext.projectFilters(project, oneOffs)));
        return client.listContainers(all, new Filters(f)).stream()
                .filter(c -> services.isEmpty() || services.contains(service(c)))
                .sorted(Comparator.comparing(ServiceContainers::service).thenComparingInt(ServiceContainers::number))
                .toList();
    }

    /**
     * The running container of one service that {@code --index} names (the lowest-numbered one
     * for 0), failing with compose's words when there is none.
     */
    public static ContainerSummary pick(EngineClient client, String project, String service, int index) {
        List<ContainerSummary> running = of(client, project, List.of(service), false);
        if (running.isEmpty()) {
            throw new IllegalArgumentException("service \"" + service + "\" is not running");
        }
        if (index <= 0) {
            return running.getFirst();
        }
        return running.stream().filter(c -> number(c) == index).findFirst().orElseThrow(
                () -> new IllegalArgumentException("service \"" + service + "\" is not running container #" + index));
    }

    /** The service a container belongs to (its {@code com.docker.compose.service} label), or empty. */
    public static String service(ContainerSummary c) {
        return c.labels() == null ? "" : c.labels().getOrDefault(ComposeLabels.SERVICE, "");
    }

    /** A container's replica number ({@code com.docker.compose.container-number}), 0 when it has none. */
    public static int number(ContainerSummary c) {
        try {
            return Integer.parseInt(c.labels().getOrDefault(ComposeLabels.CONTAINER_NUMBER, "0"));
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }

}
