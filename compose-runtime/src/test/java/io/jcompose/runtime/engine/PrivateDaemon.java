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
import java.util.List;
import java.util.UUID;
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
 * afterwards removes every container, stops the daemon and deletes its directories.
 */
final class PrivateDaemon implements BeforeAllCallback, AfterAllCallback {

    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    record Run(int exit, String out, String err) {
        Run ok() {
            assertThat(exit).as("exit code; stderr: " + err + "; stdout: " + out).isZero();
            return this;
        }
    }

    private final String name;
    private Path dir;
    private Path runRoot;
    private Path socket;
    private Jcomposed daemon;

    /** @param name names its temp directory */
    PrivateDaemon(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, mounts, cgroups)");
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "the docker CLI is not installed at " + DOCKER);
        FixtureRegistry.require();
        dir = Files.createTempDirectory("jc-" + name);
        // the run root holds unix sockets: it must be short (see ContainerEngine)
        runRoot = Path.of("/run/jch-" + UUID.randomUUID().toString().substring(0, 8));
        socket = dir.resolve("jc.sock");
        daemon = start();
        docker(180, "pull", "busybox").ok();
    }

    private Jcomposed start() throws IOException {
        DaemonConfig config = DaemonConfig.parse("{\"registry-mirrors\": [\"" + FixtureRegistry.MIRROR + "\"]}", "test config")
                .withDataRoot(dir.resolve("root"))
                .withExecRoot(runRoot)
                .withHosts(List.of("unix://" + socket));
        return Jcomposed.start(config, RealEngine.FACTORY);
    }

    /** Stops the daemon (containers keep running) and starts a new one on the same roots. */
    void restart() throws IOException {
        daemon.close();
        daemon = start();
    }

    /** The data root (records, container directories). */
    Path dataRoot() {
        return dir.resolve("root");
    }

    Run docker(String... args) throws IOException, InterruptedException {
        return docker(60, args);
    }

    Run docker(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        Path out = Files.createTempFile(dir, "out", "");
        Path err = Files.createTempFile(dir, "err", "");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", cmd) + " hung for " + timeoutSeconds + " s; output so far: "
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
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

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) {
            return; // skipped before anything was made
        }
        try {
            if (daemon != null) {
                for (String id : docker("ps", "-aq", "--no-trunc").out().split("\\s+")) {
                    if (!id.isBlank()) {
                        docker("unpause", id); // a paused container is removed like any other; this only makes a failed test tidy
                        docker("rm", "-f", "-v", id);
                    }
                }
                daemon.close();
                daemon = null;
            }
        } finally {
            deleteTree(runRoot);
            deleteTree(dir);
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
