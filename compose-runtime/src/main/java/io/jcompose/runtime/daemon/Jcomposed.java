package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.server.EngineApi;
import io.jcompose.runtime.api.server.EngineApiServer;
import io.jcompose.runtime.api.server.Router;
import io.jcompose.runtime.api.server.ServerHeaders;
import io.jcompose.runtime.api.server.SessionRoutes;
import io.jcompose.runtime.reaper.SessionObjects;
import io.jcompose.runtime.reaper.SessionReaper;
import io.jcompose.runtime.state.StateStore;
import io.jcompose.runtime.volume.VolumeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine daemon {@code jcomposed}: takes the data root's lock, loads state, and serves the
 * Docker Engine API until SIGTERM/SIGINT (or {@link #close()}). Containers are separate processes
 * (under their shims) and keep running when the daemon stops.
 */
public final class Jcomposed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jcomposed.class);

    private final DaemonConfig config;
    private final DataRootLock lock;
    private final EngineApiServer server;
    private final EventBus events;
    private final VolumeService volumes;
    private final EngineServices engine;
    private final SessionReaper reaper;
    private final List<DaemonExtension> extensions;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    private Jcomposed(DaemonConfig config, DataRootLock lock, EngineApiServer server, EventBus events, VolumeService volumes,
            EngineServices engine, SessionReaper reaper, List<DaemonExtension> extensions) {
        this.engine = engine;
        this.extensions = extensions;
        this.reaper = reaper;
        this.config = config;
        this.lock = lock;
        this.server = server;
        this.events = events;
        this.volumes = volumes;
    }

    /**
     * Starts a daemon in this process.
     *
     * @throws IOException with a one-line reason (data root locked, socket in use, ...)
     */
    public static Jcomposed start(DaemonConfig config) throws IOException {
        return start(config, NotWiredEngine.FACTORY);
    }

    /**
     * Starts a daemon in this process with the given engine services (containers, images,
     * networks); volumes, events and system answers are the daemon's own.
     *
     * @throws IOException with a one-line reason (data root locked, socket in use, ...)
     */
    public static Jcomposed start(DaemonConfig config, EngineServices.Factory services) throws IOException {
        DataRootLock lock = DataRootLock.acquire(config.dataRoot());
        try {
            StateStore store = new StateStore(config.dataRoot().resolve("state"));
            EventBus events = new EventBus();
            // volumes come first (containers mount them); which containers use one is asked late
            var engineRef = new java.util.concurrent.atomic.AtomicReference<EngineServices>();
            VolumeService volumes = new VolumeService(config.dataRoot(), store,
                    name -> engineRef.get() == null ? List.of() : engineRef.get().containers().containersUsingVolume(name), events);
            EngineServices engine = services.create(config, store, events, volumes);
            engineRef.set(engine);
            DaemonSystem system = new DaemonSystem(config, engineId(config.dataRoot()), events, () -> {
                var c = engine.containers().counts();
                return new DaemonSystem.Counts(c.total(), c.running(), c.paused(), c.stopped(), engine.images().count());
            });
            Router router = EngineApi.router(
                    new EngineApi.Backends(system, events, volumes, engine.containers(), engine.images(), engine.networks(),
                            engine.builds()));
            SessionReaper reaper = SessionReaper.create(new SessionObjects(engine.containers(), engine.networks(), volumes), store,
                    config.sessionKeepAlive());
            SessionRoutes.register(router, reaper);
            EngineApiServer server;
            try {
                server = EngineApiServer.start(router, new ServerHeaders(EngineIdentity.ENGINE_VERSION), config.listeners());
            } catch (IOException | RuntimeException e) {
                reaper.close();
                throw e;
            }
            reaper.start();
            LOG.info("jcomposed {} started (pid {}, data root {})", EngineIdentity.JCOMPOSE_VERSION, ProcessHandle.current().pid(),
                    config.dataRoot());
            return new Jcomposed(config, lock, server, events, volumes, engine, reaper, startExtensions(config));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Starts the {@link DaemonExtension}s on the class path; one that fails is logged and left out. */
    private static List<DaemonExtension> startExtensions(DaemonConfig config) {
        Path socket = config.socketPath();
        var context = new DaemonExtension.Context(socket == null ? null : socket.toAbsolutePath().getParent(), config.execRoot(),
                config.dataRoot());
        List<DaemonExtension> started = new ArrayList<>();
        for (var provider : java.util.ServiceLoader.load(DaemonExtension.class).stream().toList()) {
            try {
                DaemonExtension e = provider.get();
                e.start(context);
                started.add(e);
            } catch (IOException | RuntimeException | java.util.ServiceConfigurationError e) {
                LOG.warn("daemon extension {} not started: {}", provider.type().getName(), e.toString());
            }
        }
        return List.copyOf(started);
    }

    /** The daemon's settings. */
    public DaemonConfig config() {
        return config;
    }

    /** The event bus services publish to. */
    public EventBus events() {
        return events;
    }

    /** The volume service. */
    public VolumeService volumes() {
        return volumes;
    }

    /** Blocks until the daemon has been closed. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops serving, releases the data root; containers are left running. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // the shutdown hook and the main thread may both get here
        }
        LOG.info("jcomposed shutting down");
        for (DaemonExtension e : extensions) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                LOG.warn("cannot stop {}: {}", e.getClass().getName(), ex.toString());
            }
        }
        reaper.close(); // first: the connections the server drops now are no lost clients
        server.close();
        engine.close();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("cannot release the data root lock: {}", e.toString());
        }
        closed.countDown();
    }

    /** The engine ID, made once per data root and kept ({@code ID} in {@code /info}). */
    static String engineId(Path dataRoot) {
        Path file = dataRoot.resolve("engine-id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the engine ID in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code jcomposed [--config-file F] [--data-root D] [--exec-root R] [-H HOST]... [--debug] [--detached]}.
     * Exits 1 with one line on stderr when the daemon cannot start.
     */
    public static void main(String[] args) {
        DaemonConfig config;
        boolean detached = false;
        try {
            Path configFile = DaemonConfig.DEFAULT_CONFIG_FILE;
            boolean configGiven = false;
            Path dataRoot = null;
            Path execRoot = null;
            List<String> hosts = new ArrayList<>();
            Boolean debug = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--config-file" -> {
                        configFile = Path.of(value(args, ++i, a));
                        configGiven = true;
                    }
                    case "--data-root" -> dataRoot = Path.of(value(args, ++i, a));
                    case "--exec-root" -> execRoot = Path.of(value(args, ++i, a));
                    case "-H", "--host" -> hosts.add(value(args, ++i, a));
                    case "-D", "--debug" -> debug = true;
                    case "--detached" -> detached = true;
                    case "-v", "--version" -> {
                        System.out.println("jcomposed " + EngineIdentity.JCOMPOSE_VERSION + " (Engine API " + io.jcompose.runtime.api.ApiVersion.MAX + ")");
                        return;
                    }
                    case "-h", "--help" -> {
                        System.out.println("Usage: jcomposed [--config-file FILE] [--data-root DIR] [--exec-root DIR] [-H unix:///path|tcp://127.0.0.1:port]... [--debug]");
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see jcomposed --help)");
                }
            }
            config = DaemonConfig.load(configFile, configGiven);
            if (dataRoot != null) {
                config = config.withDataRoot(dataRoot.toAbsolutePath());
            }
            if (execRoot != null) {
                config = config.withExecRoot(execRoot.toAbsolutePath());
            }
            if (!hosts.isEmpty()) {
                config = config.withHosts(hosts);
            }
            if (debug != null) {
                config = config.withDebug(debug);
            }
            Files.createDirectories(config.dataRoot());
        } catch (java.nio.file.AccessDeniedException e) {
            System.err.println("jcomposed: permission denied on " + e.getFile() + " (run as root, or set data-root in the configuration)");
            System.exit(1);
            return;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("jcomposed: " + e.getMessage());
            System.exit(1);
            return;
        }
        DaemonLogging.configure(config.dataRoot().resolve("jcomposed.log"), config.debug(), !detached);
        Jcomposed daemon;
        try {
            daemon = start(config, io.jcompose.runtime.engine.RealEngine.FACTORY);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.nio.file.AccessDeniedException a ? "permission denied on " + a.getFile() : e.getMessage();
            LOG.error("cannot start: {}", why);
            System.err.println("jcomposed: " + why);
            System.exit(1);
            return;
        }
        // SIGTERM and SIGINT run shutdown hooks: stop serving, release the lock, leave containers running
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "jcomposed-shutdown"));
        try {
            daemon.awaitClose();
        } catch (InterruptedException e) {
            daemon.close();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }
}
