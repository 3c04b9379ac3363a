package io.jcompose.runtime.reaper;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.SessionReapReport;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.api.server.NetworkBackend;
import io.jcompose.runtime.api.server.VolumeBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's objects, found by their {@link Sessions#LABEL} and removed through the engine's
 * ports (the same code paths, logs and events as {@code docker rm -f -v}, {@code docker network rm},
 * {@code docker volume rm}).
 */
public final class SessionObjects {

    private static final Logger LOG = LoggerFactory.getLogger(SessionObjects.class);

    private final ContainerBackend containers;
    private final NetworkBackend networks;
    private final VolumeBackend volumes;

    public SessionObjects(ContainerBackend containers, NetworkBackend networks, VolumeBackend volumes) {
        this.containers = containers;
        this.networks = networks;
        this.volumes = volumes;
    }

    /** Every session id that labels at least one container, network or volume. */
    public Set<String> labelledSessions() {
        Filters any = Filters.of("label", Sessions.LABEL);
        Set<String> ids = new TreeSet<>();
        Consumer<Map<String, String>> add = labels -> {
            String id = labels == null ? null : labels.get(Sessions.LABEL);
            if (id != null && !id.isEmpty()) {
                ids.add(id);
            }
        };
        containers.list(new ContainerBackend.ListOptions(true, -1, false, any)).forEach(c -> add.accept(c.labels()));
        networks.list(any).forEach(n -> add.accept(n.labels()));
        volumes.list(any).forEach(v -> add.accept(v.labels()));
        return ids;
    }

    /**
     * Removes the session's containers (forced, with their anonymous volumes), then its networks,
     * then its volumes. Objects that vanish meanwhile are skipped; other failures are reported, not
     * thrown, so one stuck object does not keep the rest.
     */
    public SessionReapReport reap(String session) {
        Filters mine = Filters.of("label", Sessions.LABEL + "=" + session);
        List<String> removedContainers = new ArrayList<>();
        List<String> removedNetworks = new ArrayList<>();
        List<String> removedVolumes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ContainerSummary c : containers.list(new ContainerBackend.ListOptions(true, -1, false, mine))) {
            String name = c.names() == null || c.names().isEmpty() ? c.id() : c.names().getFirst().replaceFirst("^/", "");
            remove("container " + name, session, errors, () -> containers.remove(c.id(), true, true, false), () -> removedContainers.add(c.id()));
        }
        for (NetworkResource n : networks.list(mine)) {
            remove("network " + n.name(), session, errors, () -> networks.remove(n.id()), () -> removedNetworks.add(n.id()));
        }
        for (Volume v : volumes.list(mine)) {
            remove("volume " + v.name(), session, errors, () -> volumes.remove(v.name(), false), () -> removedVolumes.add(v.name()));
        }
        return new SessionReapReport(session, true, removedContainers, removedNetworks, removedVolumes, errors);
    }

    private static void remove(String what, String session, List<String> errors, Runnable removal, Runnable removed) {
        try {
            removal.run();
            removed.run();
            LOG.info("reaper: session {}: removed {}", session, what);
        } catch (EngineApiException e) {
            if (e.status() == 404) {
                return; // removed by someone else meanwhile
            }
            errors.add(what + ": " + e.getMessage());
            LOG.warn("reaper: session {}: cannot remove {}: {}", session, what, e.getMessage());
        } catch (RuntimeException e) {
            errors.add(what + ": " + e.getMessage());
            LOG.warn("reaper: session {}: cannot remove {}", session, what, e);
        }
    }
}
