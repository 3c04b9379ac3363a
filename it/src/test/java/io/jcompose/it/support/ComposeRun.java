package io.jcompose.it.support;

import io.jcompose.cli.Main;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code jcompose} runs against an engine for one end-to-end test. With {@link Engine#JCOMPOSED}
 * that is a private jcomposed: its own data root, a short run root (the shim's socket paths must
 * fit), its own socket, and the fixture registry as Docker Hub mirror; the first engine-using
 * command starts the daemon, as for a user. With {@link Engine#REF_DOCKERD} it is Debian's dockerd
 * ({@link RefDockerd}), driven through {@code -H}: the cross-oracle for the same scenarios.
 * {@link #close()} takes the project down with its volumes and stops a private daemon (IP
 * forwarding, which the engine turns on for NAT, is given back by test-support's HostStateGuard).
 */
public final class ComposeRun implements AutoCloseable {
    /** The anonymous fixture registry, used as the Docker Hub mirror. */
    public static final String MIRROR = "http://127.0.0.1:5000";

    /** What one command printed and returned. */
    public record Result(int code, String out, String err) {}

    /** The engine a scenario runs against; parameterised tests take each in turn. */
    public enum Engine {
        /** jcompose's own daemon, private to the test. */
        JCOMPOSED,
        /** Debian's dockerd ({@code bench/lib/ref-dockerd}), shared by the tests of one JVM. */
        REF_DOCKERD
    }

    private final Engine engine;
    private final Path composeFile;
    private final Path dataRoot;
    private final Path runRoot;
    private final Path socket;
    private final Map<String, String> env;

    private ComposeRun(Engine engine, Path composeFile, Path dataRoot, Path runRoot, Path socket, Map<String, String> env) {
        this.engine = engine;
        this.composeFile = composeFile;
        this.dataRoot = dataRoot;
        this.runRoot = runRoot;
        this.socket = socket;
        this.env = env;
    }

    /**
     * Prepares a run for the project whose compose file is given, after checking (with a printed
     * reason when not) that we are root, the fixture registry answers and the shim is built.
     *
     * @param composeFile the project's compose file
     * @param work a temp directory for the engine's data root and configuration
     * @param extraEnv environment of the commands beyond the engine's (e.g. variables the file uses)
     * @return the run; close it in a finally block or try-with-resources
     * @throws IOException when the directories cannot be made
     */
    public static ComposeRun prepare(Path composeFile, Path work, Map<String, String> extraEnv) throws IOException {
        return prepare(Engine.JCOMPOSED, composeFile, work, extraEnv);
    }

    /**
     * As {@link #prepare(Path, Path, Map)}, against the given engine. For {@link Engine#REF_DOCKERD}
     * the reference dockerd must be installed ({@code bench/lib/install-peers}); it is started
     * when none runs (see {@link RefDockerd#ensure()}).
     *
     * @param engine which engine the commands drive
     * @param composeFile the project's compose file
     * @param work a temp directory for the engine's data root and configuration
     * @param extraEnv environment of the commands beyond the engine's
     * @return the run; close it in a finally block or try-with-resources
     * @throws IOException when the directories cannot be made
     */
    public static ComposeRun prepare(Engine engine, Path composeFile, Path work, Map<String, String> extraEnv) throws IOException {
        if (engine == Engine.REF_DOCKERD) {
            Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: the reference dockerd");
            Assumptions.assumeTrue(registryAnswers(), "the fixture registry does not answer on " + MIRROR + ": run fixtures/registry up");
            Path refSocket = RefDockerd.ensure();
            Map<String, String> env = new HashMap<>(extraEnv);
            env.put("JCOMPOSE_HOST", "unix://" + refSocket);
            return new ComposeRun(engine, composeFile, null, null, refSocket, Map.copyOf(env));
        }
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: namespaces, cgroups, bridges");
        Assumptions.assumeTrue(registryAnswers(), "the fixture registry does not answer on " + MIRROR + ": run fixtures/registry up");
        String shim = System.getenv("JCOMPOSE_SHIM");
        Assumptions.assumeTrue(shim != null && Files.isExecutable(Path.of(shim)),
                "JCOMPOSE_SHIM (set by it/pom.xml) names no executable jcompose-shim: build compose-runtime first (" + shim + ")");
        Path runRoot = Files.createDirectory(Path.of("/tmp/jc" + HexFormat.of().toHexDigits(System.nanoTime()).substring(10)));
        Path socket = runRoot.resolve("jcompose.sock");
        Path config = work.resolve("daemon.json");
        Files.writeString(config, """
                {"data-root": "%s", "exec-root": "%s", "hosts": ["unix://%s"], "registry-mirrors": ["%s"]}
                """.formatted(work.resolve("root"), runRoot, socket, MIRROR));
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("JCOMPOSE_DAEMON_CONFIG", config.toString());
        env.put("JCOMPOSE_HOST", "unix://" + socket);
        env.put("JCOMPOSE_LOCK_DIR", work.resolve("locks").toString()); // project locks stay in the temp dir
        return new ComposeRun(engine, composeFile, work.resolve("root"), runRoot, socket, Map.copyOf(env));
    }

    /**
     * The environment that points a {@code jcompose} at this run's private engine
     * ({@code JCOMPOSE_DAEMON_CONFIG}, {@code JCOMPOSE_HOST}) plus the extra variables; for
     * commands run as separate processes (scripts).
     */
    public Map<String, String> environment() {
        return env;
    }

    /** The compose file. */
    public Path composeFile() {
        return composeFile;
    }

    /** The engine's API socket. */
    public Path socket() {
        return socket;
    }

    /** Which engine this run drives. */
    public Engine engine() {
        return engine;
    }

    /** The private daemon's data root ({@link Engine#JCOMPOSED} only, else null). */
    public Path dataRoot() {
        return dataRoot;
    }

    /** The private daemon's run root, where its socket and the shims' sockets live ({@link Engine#JCOMPOSED} only, else null). */
    public Path runRoot() {
        return runRoot;
    }

    /** The private daemon's pid, from its data root lock file ({@link Engine#JCOMPOSED} only); -1 when none holds it. */
    public long daemonPid() throws IOException {
        Path lock = dataRoot.resolve("jcomposed.lock");
        String pid = Files.exists(lock) ? Files.readString(lock).strip() : "";
        return pid.isEmpty() ? -1 : Long.parseLong(pid);
    }

    /**
     * Runs {@code jcompose} without {@code -f} (e.g. {@code engine start}), with this run's environment.
     *
     * @param args the command and its flags
     * @return exit code and output
     */
    public Result jcomposeBare(String... args) {
        return jcomposeBare(java.io.InputStream.nullInputStream(), args);
    }

    private Result jcomposeBare(java.io.InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code jcompose --progress plain -f <file> args...} in this JVM.
     *
     * @param args the command and its flags
     * @return exit code and output
     */
    public Result jcompose(String... args) {
        return jcompose(java.io.InputStream.nullInputStream(), args);
    }

    /**
     * As {@link #jcompose(String...)}, with a standard input that {@code exec}/{@code run} forward.
     *
     * @param in the command's stdin
     * @param args the command and its flags
     * @return exit code and output
     */
    public Result jcompose(java.io.InputStream in, String... args) {
        List<String> all = new ArrayList<>(List.of("--progress", "plain", "-f", composeFile.toString()));
        all.addAll(List.of(args));
        return jcomposeBare(in, all.toArray(String[]::new));
    }

    /**
     * Runs a host command and returns what it printed (stdout and stderr).
     *
     * @param command the command line
     * @return its output
     * @throws IOException when it cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /**
     * Copies a directory tree (a sample project) so a test can run it from a temp dir.
     *
     * @param from the tree to copy
     * @param to where the copy goes (made if missing)
     * @return {@code to}
     * @throws IOException when a file cannot be copied
     */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    /**
     * Pulls an image through the engine's API and waits for the end of the progress stream.
     *
     * @param api the engine
     * @param image the image name as in a compose file (e.g. {@code busybox})
     * @param tag its tag
     * @throws IOException when the stream breaks or reports an error
     */
    public static void pull(EngineClient api, String image, String tag) throws IOException {
        try (var progress = api.pullImage(image, tag, null, null)) {
            for (var m = progress.next(); m != null; m = progress.next()) {
                if (m.error() != null) {
                    throw new IOException("pull " + image + ":" + tag + ": " + m.error());
                }
            }
        }
    }

    /** A TCP port free on the host right now, for a published port. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
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

    @Override
    public void close() throws IOException {
        jcompose("down", "-v", "--remove-orphans", "-t", "1"); // also when an assertion failed; one-offs too
        if (engine == Engine.REF_DOCKERD) {
            return; // the reference dockerd is shared; RefDockerd stops it if it started it
        }
        Main.run(System.out, System.err, env, "engine", "stop");
        if (Files.exists(runRoot)) {
            try (var all = Files.walk(runRoot)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
