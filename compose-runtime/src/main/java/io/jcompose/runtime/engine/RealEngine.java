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
 * ({@link NetworkService}), containers under the shim ({@link ContainerEngine}), the daemon's
 * volumes and the image builder ({@link Builds}), adapted to the Engine API's backend ports.
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
            Builds builds = new Builds(imageService, config.dataRoot(), runRoot, events, networks);
            NetworkService net = networkService;
            return new EngineServices(containers, images, networks, builds, () -> {
                containers.close(); // no restarts while the daemon goes down
                builds.close(); // running RUN steps end and release their networks before these close
                net.close();
                imageService.close();
                if (!runRoot.startsWith(config.execRoot())) {
                    try {
                        Files.deleteIfExists(runRoot.resolve(OWNER_FILE));
                    } catch (IOException e) {
                        // left for the next sweep
                    }
                    deleteIfEmpty(runRoot); // the short fallback, once no container uses it
                    if (Files.exists(runRoot)) {
                        try {
                            Files.writeString(runRoot.resolve(OWNER_FILE), config.execRoot().toAbsolutePath().toString());
                        } catch (IOException e) {
                            // left for the next sweep
                        }
                    }
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
    static Path containerRunRoot(Path execRoot) throws IOException {
        Path wanted = execRoot.toAbsolutePath().resolve("containers");
        if (wanted.toString().length() <= MAX_RUN_ROOT) {
            return wanted;
        }
        sweepStaleFallbacks();
        Path fallback = FALLBACK_PARENT.resolve(FALLBACK_PREFIX + Integer.toHexString(execRoot.toAbsolutePath().toString().hashCode() | 0x10000000));
        Files.createDirectories(fallback);
        Files.writeString(fallback.resolve(OWNER_FILE), execRoot.toAbsolutePath().toString());
        return fallback;
    }

    private static final Path FALLBACK_PARENT = Path.of("/run");
    private static final String FALLBACK_PREFIX = "jcompose-";
    /** Names the exec root a fallback run root belongs to, so a later daemon can tell it is stale. */
    private static final String OWNER_FILE = ".exec-root";

    /**
     * Fallback run roots of daemons that were killed (no clean shutdown) and whose exec root is
     * gone: removed when they hold nothing but the owner file.
     */
    private static void sweepStaleFallbacks() {
        try (var dirs = Files.newDirectoryStream(FALLBACK_PARENT, FALLBACK_PREFIX + "????????")) {
            for (Path d : dirs) {
                Path owner = d.resolve(OWNER_FILE);
                if (Files.exists(owner) && Files.exists(Path.of(Files.readString(owner).strip()))) {
                    continue;
                }
                Files.deleteIfExists(owner);
                deleteIfEmpty(d);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover empty directory under /run harms nothing
        }
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
