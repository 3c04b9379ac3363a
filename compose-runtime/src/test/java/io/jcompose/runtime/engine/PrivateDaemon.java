package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.Jcomposed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code jcomposed} with the real engine on its own temp data root, run root and socket, driven
 * by Docker's real CLI, for test classes of one engine behaviour each: registered as
 * {@code @RegisterExtension static final PrivateDaemon d = new PrivateDaemon("name");} it starts
 * before the class's tests (with busybox pulled from the fixture registry, or skips saying why) and
 * afterwards removes every container, stops the daemon and deletes its directories. A class that
 * checks the host after the daemon has gone calls {@link #removeAllAndStop()} in its own
 * {@code @AfterAll} (which runs before this extension's).
 */
final class PrivateDaemon implements BeforeAllCallback, AfterAllCallback {

    /** Docker's static CLI, the default client. */
    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    record Run(int exit, String out, String err) {
        Run ok() {
            assertThat(exit).as("exit code; stderr: " + err + "; stdout: " + out).isZero();
            return this;
        }
    }

    private final String name;
    private Path cli = DOCKER;
    private boolean pullBusybox = true;
    private final Map<String, String> env = new LinkedHashMap<>();
    /** Every full container id a command printed alone on a line (what {@code run -d} and {@code create} print). */
    private final Set<String> containerIds = ConcurrentHashMap.newKeySet();
    private Path dir;
    private Path runRoot;
    private Path socket;
    private Jcomposed daemon;

    /** @param name names its temp directory */
    PrivateDaemon(String name) {
        this.name = name;
    }

    /** Drives the daemon with another docker CLI (e.g. Debian's {@code /usr/bin/docker}). */
    PrivateDaemon cli(Path docker) {
        this.cli = docker;
        return this;
    }

    /** Adds a variable to every command's environment. */
    PrivateDaemon env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Starts without pulling busybox (for tests of the pull itself). */
    PrivateDaemon noPull() {
        pullBusybox = false;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, mounts, cgroups)");
        Assumptions.assumeTrue(Files.isExecutable(cli), "the docker CLI is not installed at " + cli);
        FixtureRegistry.require();
        dir = Files.createTempDirectory("jc-" + name);
        // the run root holds unix sockets: it must be short (see ContainerEngine)
        runRoot = Path.of("/run/jch-" + UUID.randomUUID().toString().substring(0, 8));
        socket = dir.resolve("jc.sock");
        startDaemon();
        if (pullBusybox) {
            docker(180, "pull", "busybox").ok();
        }
    }

    /** Starts jcomposed on this fixture's roots (again, after {@link #stopDaemon()}). */
    void startDaemon() throws IOException {
        DaemonConfig config = DaemonConfig.parse("{\"registry-mirrors\": [\"" + FixtureRegistry.MIRROR + "\"]}", "test config")
                .withDataRoot(dataRoot())
                .withExecRoot(runRoot)
                .withHosts(List.of("unix://" + socket));
        daemon = Jcomposed.start(config, RealEngine.FACTORY);
    }

    /** Stops jcomposed; containers keep running, as when Docker's daemon stops with live-restore. */
    void stopDaemon() {
        daemon.close();
        daemon = null;
    }

    /** Stops the daemon (containers keep running) and starts a new one on the same roots. */
    void restart() throws IOException {
        stopDaemon();
        startDaemon();
    }

    /** Whether jcomposed runs (false when the class was skipped, or after {@link #removeAllAndStop()}). */
    boolean running() {
        return daemon != null;
    }

    /** The temp directory: data root, socket, the CLI's configuration. */
    Path dir() {
        return dir;
    }

    /** The daemon's address for a client's {@code -H}: {@code unix://<socket>}. */
    String host() {
        return "unix://" + socket;
    }

    /** The data root (records, container directories). */
    Path dataRoot() {
        return dir.resolve("root");
    }

    /** The run root (shim sockets). */
    Path runRoot() {
        return runRoot;
    }

    /** Ids of the containers the commands made, as far as they printed them (a live view). */
    Set<String> containerIds() {
        return containerIds;
    }

    /** {@code docker args}, 60 s at most. */
    Run docker(String... args) throws IOException, InterruptedException {
        return docker(60, args);
    }

    /** {@code docker args}, with a time limit. */
    Run docker(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        return command(null, Path.of("/dev/null"), timeoutSeconds, withCli(args));
    }

    /** {@code docker args} reading {@code stdin}. */
    Run dockerWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        return command(null, stdin, 60, withCli(args));
    }

    /** Any command (e.g. {@code docker build}, {@code docker-compose}) in {@code workDir} (null: this JVM's), pointed at this daemon. */
    Run command(Path workDir, int timeoutSeconds, List<String> cmd) throws IOException, InterruptedException {
        return command(workDir, Path.of("/dev/null"), timeoutSeconds, cmd);
    }

    /** A build context {@code <dir>/ctx-<name>} holding {@code files} (name → content). */
    Path context(String name, Map<String, String> files) throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx-" + name));
        for (var e : files.entrySet()) {
            Files.writeString(ctx.resolve(e.getKey()), e.getValue());
        }
        return ctx;
    }

    /** {@code docker build args} in {@code ctx}, 300 s at most. */
    Run build(Path ctx, String... args) throws IOException, InterruptedException {
        return command(ctx, 300, withCli(Stream.concat(Stream.of("build"), Stream.of(args)).toArray(String[]::new)));
    }

    private List<String> withCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(cli.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Run command(Path workDir, Path stdin, int timeoutSeconds, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir == null ? null : workDir.toFile());
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", "");
        Path err = Files.createTempFile(dir, "err", "");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", cmd) + " hung for " + timeoutSeconds + " s; output so far: "
                        + Files.readString(out) + Files.readString(err));
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (r.out().matches("[0-9a-f]{64}\n")) {
                containerIds.add(r.out().strip());
            }
            return r;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Polls {@code docker args} until it prints {@code expected} (10 s). */
    void awaitOutput(String expected, String... args) throws Exception {
        String last = null;
        for (int i = 0; i < 100; i++) {
            last = docker(args).ok().out().strip();
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("docker " + String.join(" ", args) + " printed " + last + ", expected " + expected);
    }

    /** Removes every container (with its anonymous volumes) and stops the daemon; nothing when it is stopped already. */
    void removeAllAndStop() throws IOException, InterruptedException {
        if (daemon == null) {
            return;
        }
        for (String id : docker("ps", "-aq", "--no-trunc").out().split("\\s+")) {
            if (!id.isBlank()) {
                containerIds.add(id);
                docker("unpause", id); // a paused container is removed like any other; this only makes a failed test tidy
                docker("rm", "-f", "-v", id);
            }
        }
        stopDaemon();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) {
            return; // skipped before anything was made
        }
        try {
            removeAllAndStop();
        } finally {
            deleteTree(runRoot);
            deleteTree(dir);
            FixtureRegistry.release();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
