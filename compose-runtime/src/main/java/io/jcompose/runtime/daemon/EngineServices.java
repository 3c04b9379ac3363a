package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.server.BuildBackend;
import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.api.server.ImageBackend;
import io.jcompose.runtime.api.server.NetworkBackend;
import io.jcompose.runtime.state.StateStore;
import io.jcompose.runtime.volume.VolumeService;

/**
 * The engine services behind the API: containers, images, networks (volumes are the daemon's
 * own). The lead wires the real ones through a {@link Factory} passed to
 * {@link Jcomposed#start(DaemonConfig, Factory)}.
 */
public record EngineServices(ContainerBackend containers, ImageBackend images, NetworkBackend networks,
        BuildBackend builds, AutoCloseable closer) implements AutoCloseable {

    /** Services without a builder ({@code POST /build} answers 501). */
    public EngineServices(ContainerBackend containers, ImageBackend images, NetworkBackend networks, AutoCloseable closer) {
        this(containers, images, networks, null, closer);
    }

    /** Services that hold nothing to release. */
    public EngineServices(ContainerBackend containers, ImageBackend images, NetworkBackend networks) {
        this(containers, images, networks, null, () -> {});
    }

    /** Releases what the services hold (DNS listeners, registry clients); containers keep running. */
    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(EngineServices.class).warn("closing the engine services: {}", e.toString());
        }
    }

    /** Builds the services once the daemon holds its data root. */
    @FunctionalInterface
    public interface Factory {
        EngineServices create(DaemonConfig config, StateStore store, EventBus events, VolumeService volumes);
    }
}
