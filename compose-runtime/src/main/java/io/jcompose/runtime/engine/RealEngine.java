package io.jcompose.runtime.engine;

import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.EngineServices;
import io.jcompose.runtime.image.ImageService;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.network.NetworkService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;

/**
 * The real engine behind {@code jcomposed}: images from registries ({@link ImageService}, with the
 * daemon's {@code registry-mirrors} and {@code insecure-registries}), bridge networks and DNS
 * ({@link NetworkService}), containers under the shim ({@link ContainerEngine}) and the daemon's
 * volumes, adapted to the Engine API's backend ports.
 */
public final class RealEngine {

    /** The factory {@code jcomposed} starts with. */
    public static final EngineServices.Factory FACTORY = RealEngine::create;

    private RealEngine() {}

    private static EngineServices create(DaemonConfig config, io.jcompose.runtime.state.StateStore store, io.jcompose.runtime.daemon.EventBus events,
            io.jcompose.runtime.volume.VolumeService volumes) {
        RegistryConfig registry = RegistryConfig.defaults()
                .withMirrors(config.registryMirrors().stream().map(URI::create).toList())
                .withInsecureRegistries(new LinkedHashSet<>(config.insecureRegistries()));
        ImageService imageService = new ImageService(config.dataRoot(), registry);
        NetworkService networkService = null;
        try {
            networkService = new NetworkService(NetworkService.Options.defaults(config.dataRoot()));
            Path runRoot = containerRunRoot(config.execRoot());
            ContainerEngine engine = ContainerEngine.open(config.dataRoot(), runRoot);
            Images images = new Images(imageService, events);
            Networks networks = new Networks(networkService, events);
            Containers containers = new Containers(engine, images, networks, volumes, store, events, config.dataRoot());
            networks.containers(containers);
            images.usersFrom(containers::containersUsingImage);
            NetworkService net = networkService;
            return new EngineServices(containers, images, networks, () -> {
                net.close();
                imageService.close();
                if (!runRoot.startsWith(config.execRoot())) {
                    deleteIfEmpty(runRoot); // the short fallback, once no container uses it
                }
            });
        } catch (IOException e) {
            close(imageService, networkService);
            throw new UncheckedIOException("cannot open the container engine: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(imageService, networkService);
            throw e;
        }
    }

    /** Longest run root whose {@code <root>/<64 hex>/attach.sock} still fits a unix socket path. */
    static final int MAX_RUN_ROOT = 30;

    /**
     * {@code <exec-root>/containers}, or, when that is too long for the shim's unix sockets (an
     * exec root in a deep temp directory), {@code /run/jcompose-<8 hex of the exec root>}.
     */
    static Path containerRunRoot(Path execRoot) {
        Path wanted = execRoot.toAbsolutePath().resolve("containers");
        if (wanted.toString().length() <= MAX_RUN_ROOT) {
            return wanted;
        }
        return Path.of("/run/jcompose-" + Integer.toHexString(execRoot.toAbsolutePath().toString().hashCode() | 0x10000000));
    }

    private static void deleteIfEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // still in use or already gone
        }
    }

    private static void close(ImageService images, NetworkService network) {
        images.close();
        if (network != null) {
            network.close();
        }
    }
}
