package io.jcompose.testing.support;

import io.jcompose.cli.Main;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.testing.ComposeSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * One private jcompose engine for this test JVM, as it/'s ComposeRun makes one per test: its own
 * data root, run root and socket under {@code /tmp/jct-<hex>}, the fixture registry as Docker Hub
 * mirror. {@link #get()} writes the daemon configuration and points the API at it (system
 * properties {@code jcompose.host}, {@code jcompose.daemon.config}); the first {@code up} starts
 * jcomposed, as for a user. When the launcher session closes (all tests done), the engine is
 * stopped and the directory removed (IP forwarding is given back after each class by test-support's
 * HostStateGuard).
 */
public final class PrivateEngine implements LauncherSessionListener {
    /** The anonymous fixture registry, used as the Docker Hub mirror. */
    public static final String MIRROR = "http://127.0.0.1:5000";

    private static PrivateEngine current;
    /** Launcher sessions open (EngineTestKit may open nested ones): the engine stops with the outermost. */
    private static int sessions;

    private final Path dir;
    private final Path socket;
    private final Path config;

    /** For the service loader (the listener side); {@link #get()} makes the real one. */
    public PrivateEngine() {
        this(null, null, null);
    }

    private PrivateEngine(Path dir, Path socket, Path config) {
        this.dir = dir;
        this.socket = socket;
        this.config = config;
    }

    /** The engine of this JVM, configured on first use (not yet started). */
    public static synchronized PrivateEngine get() {
        if (current == null) {
            try {
                Path dir = Files.createDirectory(Path.of("/tmp/jct-" + HexFormat.of().toHexDigits(System.nanoTime()).substring(8)));
                Path socket = dir.resolve("run").resolve("jcompose.sock");
                Path config = dir.resolve("daemon.json");
                Files.writeString(config, """
                        {"data-root": "%s", "exec-root": "%s", "hosts": ["unix://%s"], "registry-mirrors": ["%s"]}
                        """.formatted(dir.resolve("root"), dir.resolve("run"), socket, MIRROR));
                current = new PrivateEngine(dir, socket, config);
                System.setProperty("jcompose.host", current.host());
                System.setProperty("jcompose.daemon.config", config.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return current;
    }

    /** {@code unix://<socket>}. */
    public String host() {
        return "unix://" + socket;
    }

    /** The engine's API socket. */
    public Path socket() {
        return socket;
    }

    /** The engine's data root (its kernel objects' names derive from it: {@code HostNames}). */
    public Path dataRoot() {
        return dir.resolve("root");
    }

    /** The daemon configuration file. */
    public Path config() {
        return config;
    }

    /** The system properties that point another JVM's API at this engine. */
    public List<String> jvmArguments() {
        return List.of("-Djcompose.host=" + host(), "-Djcompose.daemon.config=" + config);
    }

    /** Starts jcomposed for this engine unless it answers already (as the first {@code up} would). */
    public void start() {
        Map<String, String> env = env();
        io.jcompose.cli.engine.EngineConnection.of(io.jcompose.cli.GlobalOptions.resolve(new io.jcompose.cli.GlobalFlags(), env), env).connect();
    }

    /** The variables that point {@code jcompose} (the CLI) at this engine. */
    public Map<String, String> env() {
        return Map.of("JCOMPOSE_HOST", host(), "JCOMPOSE_DAEMON_CONFIG", config.toString());
    }

    /** A client of this engine (for checks from the host, e.g. that a stack is gone). */
    public EngineClient client() {
        return new EngineClient(new DockerHost.Unix(socket));
    }

    /** Whether the fixture registry answers {@code /v2/}. */
    public static boolean registryAnswers() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create(MIRROR + "/v2/")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Takes down any project of this JVM's session a test left up (stopping the engine would leave
     * its bridges and mounts on the host), with a line saying so: a test that leaks should be fixed.
     */
    private void downLeftovers() {
        Filters session = new Filters(Map.of("label", Set.of(ComposeSession.LABEL + "=" + ComposeSession.current().id())));
        Set<String> projects = new TreeSet<>();
        client().listContainers(true, session).forEach(c -> projects.add(c.labels().get("com.docker.compose.project")));
        for (String p : projects) {
            System.err.println("PrivateEngine: project " + p + " was left up by a test; taking it down");
            Main.run(System.out, System.err, env(), "-p", p, "down", "-v", "-t", "0");
        }
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        synchronized (PrivateEngine.class) {
            sessions++;
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        PrivateEngine engine;
        synchronized (PrivateEngine.class) {
            if (--sessions > 0) {
                return;
            }
            engine = current;
            current = null;
        }
        if (engine != null) {
            engine.stop();
        }
    }

    private void stop() {
        if (client().ping()) {
            downLeftovers();
            Main.run(System.out, System.err, env(), "engine", "stop");
        }
        try {
            try (var all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            System.err.println("PrivateEngine: could not clean up " + dir + ": " + e.getMessage());
        }
    }
}
