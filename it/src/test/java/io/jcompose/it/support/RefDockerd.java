package io.jcompose.it.support;

import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A reference dockerd (Debian's {@code docker.io}) for cross-oracle tests: the shared one of
 * {@code bench/lib/ref-dockerd} when its socket answers, else one started here the same way
 * (own socket, data and exec roots under a temp dir, no bridge, no iptables, the fixture
 * registry as Docker Hub mirror, a dead proxy so nothing leaves the machine) and stopped by
 * {@link #close()}.
 */
public final class RefDockerd implements AutoCloseable {
    /** The socket of {@code bench/lib/ref-dockerd}. */
    public static final Path SHARED_SOCKET = Path.of("/run/jcompose-ref/docker.sock");

    private static final Path DOCKERD = Path.of("/usr/sbin/dockerd");

    /** Host directories dockerd/containerd make whatever their roots (shim sockets, plugin discovery). */
    private static final List<Path> HOST_DIRS = List.of(Path.of("/run/containerd/s"), Path.of("/run/containerd"), Path.of("/run/docker/plugins"),
            Path.of("/run/docker"));

    private final Path socket;
    private final Process process;
    private final Path dir;
    private final List<Path> absentBefore;

    private RefDockerd(Path socket, Process process, Path dir, List<Path> absentBefore) {
        this.socket = socket;
        this.process = process;
        this.dir = dir;
        this.absentBefore = absentBefore;
    }

    /**
     * The shared reference dockerd, or a private one; skips the test (with the reason) when
     * neither is possible.
     *
     * @return the daemon; close it when done
     * @throws Exception when a private daemon cannot be started
     */
    public static RefDockerd startOrShare() throws Exception {
        if (new EngineClient(new DockerHost.Unix(SHARED_SOCKET)).ping()) {
            return new RefDockerd(SHARED_SOCKET, null, null, List.of());
        }
        Assumptions.assumeTrue(Files.isExecutable(DOCKERD), "no reference dockerd at " + DOCKERD + " (bench/lib/install-peers)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "starting a reference dockerd needs root");
        Assumptions.assumeTrue(!Files.exists(Path.of("/run/containerd/containerd.sock")),
                "a host containerd runs: a private dockerd would share it");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jcd-"); // short: containerd's socket paths are length-limited
        Files.writeString(dir.resolve("daemon.json"), "{\"deprecated-key-path\": \"" + dir.resolve("key.json") + "\"}\n");
        ProcessBuilder pb = new ProcessBuilder(DOCKERD.toString(), "--config-file", dir.resolve("daemon.json").toString(),
                "--host", "unix://" + dir.resolve("d.sock"), "--pidfile", dir.resolve("d.pid").toString(),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(), "--iptables=false",
                "--ip6tables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none", "--dns", "127.0.0.1",
                "--default-address-pool", "base=10.214.0.0/16,size=24", "--cgroup-parent", "jcompose-reftest",
                "--registry-mirror", "http://127.0.0.1:5000", "--insecure-registry", "127.0.0.1:5000")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile());
        pb.environment().put("HTTP_PROXY", "http://127.0.0.1:9");
        pb.environment().put("HTTPS_PROXY", "http://127.0.0.1:9");
        pb.environment().put("NO_PROXY", "127.0.0.1,localhost,::1");
        List<Path> absent = HOST_DIRS.stream().filter(h -> !Files.exists(h)).toList();
        Process p = pb.start();
        RefDockerd d = new RefDockerd(dir.resolve("d.sock"), p, dir, absent);
        EngineClient c = d.client();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.ping()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                d.close();
                throw new AssertionError("reference dockerd did not start: " + Files.readString(dir.resolve("dockerd.log")));
            }
            Thread.sleep(100);
        }
        return d;
    }

    /** {@code unix:///...} for {@code -H}. */
    public String host() {
        return "unix://" + socket;
    }

    /** A client of this daemon. */
    public EngineClient client() {
        return new EngineClient(new DockerHost.Unix(socket));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process == null) {
            return; // the shared daemon belongs to whoever started it
        }
        process.destroy(); // SIGTERM: dockerd stops its containers and its containerd
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        ComposeRun.run("umount", "-R", dir.resolve("data").toString());
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a busy leftover is reported by the host checks of other tests, not hidden here
        }
        for (Path h : absentBefore) { // in HOST_DIRS order: children first
            try {
                Files.deleteIfExists(h);
            } catch (IOException e) {
                // not empty: another daemon uses it now
            }
        }
        Path cg = Path.of("/sys/fs/cgroup");
        try (var ctrls = Files.list(cg)) {
            for (Path c : ctrls.toList()) {
                Files.deleteIfExists(c.resolve("jcompose-reftest"));
            }
        } catch (IOException e) {
            // not a cgroup v1 layout or still busy
        }
    }
}
