package io.jcompose.testing;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.client.EngineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Compose project to bring up for a test: {@code jcompose up -d --wait}, then the per-service
 * waits. The CLI server inside jcomposed runs {@code up} and {@code down} when it is there (no
 * {@code jcompose} process, and this JVM loads neither the model nor the planner); otherwise this
 * JVM runs the same loader, planner and reconciler itself.
 *
 * <pre>{@code
 * try (ComposeStack stack = ComposeProject.from(Path.of("compose.yaml"))
 *         .withEnv("APP_PORT", "0")
 *         .waitingFor("web", Wait.forHttp("/health", 8000))
 *         .up()) {
 *     ServiceHandle web = stack.service("web");
 *     URI uri = URI.create("http://" + web.ip() + ":8000/");
 * }
 * }</pre>
 *
 * <p>Without {@link #withProjectName} every {@link #up()} gets a new project name,
 * {@code <folder>-<6 hex>}, so that test classes running at the same time never share containers,
 * networks or volumes. A builder: configure, then call {@link #up()}; not for several threads.
 */
public final class ComposeProject {
    /** How long {@code --wait} waits for health checks when the test does not say. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(2);

    /** Seconds a container gets to stop before SIGKILL on {@code down} and {@code stop} (compose: 10). */
    public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 2;

    private final Path path;
    private String projectName;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> profiles = new ArrayList<>();
    private String engineHost;
    private final Map<String, WaitStrategy> waits = new LinkedHashMap<>();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private int stopTimeoutSeconds = DEFAULT_STOP_TIMEOUT_SECONDS;

    private ComposeProject(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    /**
     * @param composeFileOrDir a Compose file, or a folder holding {@code compose.yaml} (or the other names compose looks for)
     * @return the project, not yet up
     */
    public static ComposeProject from(Path composeFileOrDir) {
        return new ComposeProject(Objects.requireNonNull(composeFileOrDir, "composeFileOrDir"));
    }

    /**
     * A fixed project name instead of a unique one ({@code -p}).
     *
     * @param name the project name
     * @return this
     */
    public ComposeProject withProjectName(String name) {
        this.projectName = name;
        return this;
    }

    /**
     * A variable for interpolation in the file (over this JVM's environment and the project's {@code .env}).
     *
     * @return this
     */
    public ComposeProject withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    /**
     * Variables for interpolation, as {@link #withEnv(String, String)}.
     *
     * @return this
     */
    public ComposeProject withEnv(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /**
     * Profiles to enable ({@code --profile}).
     *
     * @return this
     */
    public ComposeProject withProfiles(String... names) {
        profiles.addAll(List.of(names));
        return this;
    }

    /**
     * The engine to use ({@code -H}): {@code unix:///path/to.sock} or {@code tcp://host:port}.
     * Default: the system property {@code jcompose.host}, else {@code JCOMPOSE_HOST}, else
     * jcompose's own daemon (started when none answers).
     *
     * @return this
     */
    public ComposeProject withEngine(String host) {
        this.engineHost = host;
        return this;
    }

    /**
     * The engine listening on a Unix socket, as {@link #withEngine(String)} with {@code unix://<socket>}.
     *
     * @return this
     */
    public ComposeProject withEngine(Path socket) {
        return withEngine("unix://" + socket.toAbsolutePath());
    }

    /**
     * A readiness check for one service, after {@code depends_on} and health checks are satisfied.
     *
     * @return this
     */
    public ComposeProject waitingFor(String service, WaitStrategy strategy) {
        waits.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(strategy, "strategy"));
        return this;
    }

    /**
     * How long {@code up} waits for containers to be running and healthy ({@code --wait-timeout}).
     *
     * @return this
     */
    public ComposeProject withStartupTimeout(Duration timeout) {
        this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Seconds containers get to stop before they are killed, on {@code down} and {@code stop} ({@code -t}).
     *
     * @return this
     */
    public ComposeProject withStopTimeout(int seconds) {
        this.stopTimeoutSeconds = seconds;
        return this;
    }

    /**
     * Brings the project up as {@code jcompose up -d --wait} does, labelled with this JVM's
     * {@link ComposeSession}, then runs the {@link #waitingFor} checks. On failure the
     * half-started stack is taken down before the exception is thrown.
     *
     * @return the running stack; close it (or {@link ComposeStack#down()}) when done
     * @throws ServiceNotReadyException when a service exits, turns unhealthy or misses its wait
     * @throws ComposeException for a bad Compose file or an engine that cannot be reached
     */
    public ComposeStack up() {
        EngineTarget engine = EngineTarget.resolve(engineHost);
        String name = projectName != null ? projectName : uniqueName(folder());
        // The fast path: the CLI server in the warm daemon loads, plans and reconciles, so this JVM
        // never loads the model or the planner, and connects its own engine client only when
        // something needs it. Without a server (first run, another build, a dockerd,
        // JCOMPOSE_NO_SERVER=1), this JVM does it all.
        Optional<CliProject> cli = environment().getOrDefault("JCOMPOSE_NO_SERVER", "").isEmpty()
                ? engine.socket().flatMap(CliServerCall::beside).map(server -> cliProject(server, engine, name))
                : Optional.empty();
        if (cli.isPresent()) {
            // the lease (held before up creates anything) on a second thread while the server reads the file
            FutureTask<Void> lease = new FutureTask<>(() -> ComposeSession.current().holdLease(engine), null);
            Thread.ofPlatform().daemon().name("jcompose-lease").start(lease);
            Optional<CliServerCall.Outcome> services = cli.get().run("config", "--services");
            if (services.isPresent()) {
                if (services.get().exitCode() != 0) {
                    throw new ComposeException(services.get().lastErrorLine().replaceFirst("^jcompose:\\s*", ""));
                }
                awaitDone(lease);
                List<String> names = services.get().stdout().lines().filter(l -> !l.isBlank()).toList();
                ComposeStack stack = new ComposeStack(name, names, () -> load(name), engine::connect, stopTimeoutSeconds, cli.get());
                stack.start(startupTimeout, waits);
                return stack;
            }
        }
        // Reaching the engine (JSON stack, ping, maybe starting jcomposed) and taking the session
        // lease share nothing with loading the file (YAML stack, model): on two cores they overlap.
        // The lease is still held before the first object is created.
        FutureTask<EngineClient> connecting = new FutureTask<>(() -> {
            EngineClient client = engine.connect();
            ComposeSession.current().holdLease(engine);
            return client;
        });
        Thread.ofPlatform().daemon().name("jcompose-connect").start(connecting);
        Project project = load(name);
        ComposeStack stack = new ComposeStack(project, awaitDone(connecting), stopTimeoutSeconds);
        stack.start(startupTimeout, waits);
        return stack;
    }

    /** The commands of this project for the CLI server, with the session that labels what {@code up} creates. */
    private CliProject cliProject(CliServerCall server, EngineTarget engine, String name) {
        Map<String, String> env = new LinkedHashMap<>(environment());
        env.putAll(engine.env());
        env.put(Sessions.SESSION_VARIABLE, ComposeSession.current().id());
        List<String> flags = new ArrayList<>(List.of("--project-name", name));
        for (String p : profiles) {
            flags.addAll(List.of("--profile", p));
        }
        if (!Files.isDirectory(path)) {
            flags.addAll(List.of("--file", path.toString()));
        }
        return new CliProject(server, folder(), env, flags);
    }

    private static <T> T awaitDone(FutureTask<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new ComposeException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComposeException("interrupted while connecting to the engine", e);
        }
    }

    /** The project model, as {@code jcompose config} would see it with these settings (a new unique name each call). */
    Project load() {
        return load(projectName != null ? projectName : uniqueName(folder()));
    }

    private Project load(String name) {
        LoadOptions options = LoadOptions.defaults()
                .withEnvironment(environment())
                .withCurrentDirectory(folder())
                .withProjectName(name)
                .withProfiles(profiles);
        if (!Files.isDirectory(path)) {
            options = options.withFiles(List.of(path.toString()));
        }
        try {
            return ProjectLoader.load(options);
        } catch (ComposeFileException e) {
            throw new ComposeException(e.getMessage(), e);
        }
    }

    /** The project folder: the given folder, or the Compose file's. */
    private Path folder() {
        return Files.isDirectory(path) ? path : path.getParent();
    }

    /** This JVM's environment with the test's variables over it. */
    private Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(env);
        return environment;
    }

    /**
     * {@code <folder>-<6 hex>}, the folder cleaned as compose cleans project names (lower case,
     * {@code [a-z0-9_-]}, starting with a letter or digit).
     */
    static String uniqueName(Path folder) {
        Path name = folder.getFileName();
        String base = (name == null ? "" : name.toString()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        base = base.replaceFirst("^[_-]+", "");
        if (base.isEmpty()) {
            base = "jcompose";
        }
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        return base + "-" + HexFormat.of().formatHex(b);
    }
}
