package io.jcompose.it.support;

import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference dockerd of {@code bench/lib/ref-dockerd} (Debian's docker.io on its own socket,
 * roots and containerd; see docs/peers.md) as the cross-oracle engine. It is shared: when one
 * answers already, tests use it and leave it running; when none does, the first test starts it
 * and the JVM stops it (by the script, which ends it by PID) when it exits.
 */
public final class RefDockerd {
    /** The script, relative to the it/ module (the tests' working directory). */
    public static final Path SCRIPT = Path.of("..", "bench", "lib", "ref-dockerd").toAbsolutePath().normalize();

    private static Path socket;

    private RefDockerd() {}

    /**
     * The reference dockerd's socket, starting the daemon when none answers; a test that cannot
     * have one is skipped with the reason.
     *
     * @return the socket
     * @throws IOException when the script cannot be run
     */
    public static synchronized Path ensure() throws IOException {
        if (socket != null) {
            return socket;
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dockerd")) && Files.isExecutable(Path.of("/usr/bin/docker")),
                "no Debian docker.io for the cross-oracle: run bench/lib/install-peers");
        Path sock = Path.of(exportOf("DOCKER_HOST").replaceFirst("^unix://", ""));
        if (!new EngineClient(new DockerHost.Unix(sock)).ping()) {
            Script start = script("start");
            Assumptions.assumeTrue(start.code() == 0, "bench/lib/ref-dockerd start failed: " + start.out());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    script("stop");
                } catch (IOException e) {
                    System.err.println("ref-dockerd stop: " + e.getMessage());
                }
            }));
        }
        socket = sock;
        return sock;
    }

    /** {@code unix:///...} of the reference dockerd for {@code -H}, starting it when none answers ({@link #ensure()}). */
    public static String host() throws IOException {
        return "unix://" + ensure();
    }

    /** A client of the reference dockerd, starting it when none answers ({@link #ensure()}). */
    public static EngineClient client() throws IOException {
        return new EngineClient(new DockerHost.Unix(ensure()));
    }

    /** One value of {@code ref-dockerd env} (e.g. {@code DOCKER_HOST}). */
    public static String exportOf(String name) throws IOException {
        for (String line : script("env").out().lines().toList()) {
            String prefix = "export " + name + "=";
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new IOException("ref-dockerd env names no " + name);
    }

    private record Script(int code, String out) {}

    private static Script script(String command) throws IOException {
        Process p = new ProcessBuilder(SCRIPT.toString(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Script(p.waitFor(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + SCRIPT + " " + command, e);
        }
    }
}
