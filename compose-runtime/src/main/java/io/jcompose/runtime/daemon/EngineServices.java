package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.api.server.ImageBackend;
import io.jcompose.runtime.api.server.NetworkBackend;
import io.jcompose.runtime.state.StateStore;

/**
 * The engine services behind the API: containers, images, networks (volumes are the daemon's
 * own). The lead wires the real ones through a {@link Factory} passed to
 * {@link Jcomposed#start(DaemonConfig, Factory)}.
 */
public record EngineServices(ContainerBackend containers, ImageBackend images, NetworkBackend networks) {

    /** Builds the services once the daemon holds its data root. */
    @FunctionalInterface
    public interface Factory {
        EngineServices create(DaemonConfig config, StateStore store, EventBus events);
    }
}
