package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code jcomposed} when no daemon answers: the CLI calls {@link #ensureRunning}. The daemon
 * is its own java process on the same class path, in its own session (so the terminal's signals do
 * not reach it), with its stdout/stderr in {@code <dataRoot>/jcomposed.out}.
 */
public final class DaemonLauncher {

    /** The outcome; {@link Failed#reason()} is one line for the user. */
    public sealed interface Result {
        /** A daemon already answered {@code _ping}. */
        record AlreadyRunning() implements Result {}

        /** We started one; it answers now. */
        record Started(long pid) implements Result {}

        /** It could not be started. */
        record Failed(String reason) implements Result {}
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private DaemonLauncher() {}

    /**
     * Makes sure a daemon serves {@code config}'s socket, starting one if needed.
     *
     * @param configFile passed to the daemon as {@code --config-file} (null: the daemon's default)
     */
    public static Result ensureRunning(DaemonConfig config, Path configFile) {
        Path socket = config.socketPath();
        if (socket == null) {
            return new Result.Failed("the daemon configuration has no unix:// host to connect to");
        }
        EngineClient client = new EngineClient(new DockerHost.Unix(socket));
        if (client.ping()) {
            return new Result.AlreadyRunning();
        }
        String unwritable = firstUnwritable(config.dataRoot(), socket.getParent());
        if (unwritable != null) {
            return new Result.Failed("cannot start jcomposed: " + unwritable + " is not writable by this user"
                    + " (run as root, or set data-root and hosts in the daemon configuration)");
        }
        Path out = config.dataRoot().resolve("jcomposed.out");
        Process p;
        try {
            Files.createDirectories(config.dataRoot());
            ProcessBuilder pb = new ProcessBuilder(command(config, configFile));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            p = pb.start();
        } catch (IOException e) {
            return new Result.Failed("cannot start jcomposed: " + e.getMessage());
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.ping()) {
                return new Result.Started(p.pid());
            }
            if (!p.isAlive()) {
                return new Result.Failed("jcomposed exited with status " + p.exitValue() + ": " + lastLine(out));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result.Failed("interrupted while waiting for jcomposed to start");
            }
        }
        return new Result.Failed("jcomposed (pid " + p.pid() + ") did not answer on " + socket + " within " + START_TIMEOUT.toSeconds()
                + " s; see " + out);
    }

    /** The daemon's command line: this JVM's java, class path and native-access flag. */
    static List<String> command(DaemonConfig config, Path configFile) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // a session of its own: no SIGHUP/SIGINT from the user's terminal
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Jcomposed.class.getName());
        if (configFile != null) {
            cmd.add("--config-file");
            cmd.add(configFile.toString());
        }
        cmd.add("--data-root");
        cmd.add(config.dataRoot().toString());
        cmd.add("--exec-root");
        cmd.add(config.execRoot().toString());
        for (String h : config.hosts()) {
            cmd.add("-H");
            cmd.add(h);
        }
        if (config.debug()) {
            cmd.add("--debug");
        }
        cmd.add("--detached");
        return cmd;
    }

    private static String firstUnwritable(Path... dirs) {
        for (Path d : dirs) {
            Path p = d.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p != null && !Files.isWritable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(no output; see " + file + ")" : lines.getLast().trim();
        } catch (IOException e) {
            return "(no output; see " + file + ")";
        }
    }
}
