package io.jcompose.cli.command;

import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.Jcomposed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real in-process jcomposed without a container service (lists are empty, creating a
 * container is a 501) and the environment that points jcompose at it, for the command tests.
 */
final class EmptyEngine implements AutoCloseable {
    private final Jcomposed daemon;
    private final ShortRunRoot run;

    /** The {@code JCOMPOSE_HOST} and {@code JCOMPOSE_DAEMON_CONFIG} of this engine. */
    final Map<String, String> env;

    /** Starts the engine with its data root and daemon.json under {@code dir}. */
    EmptyEngine(Path dir) throws IOException {
        run = new ShortRunRoot();
        Path socket = run.path.resolve("jcompose.sock");
        daemon = Jcomposed.start(DaemonConfig.defaults().withDataRoot(dir.resolve("root")).withExecRoot(run.path)
                .withHosts(List.of("unix://" + socket)));
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, "{\"data-root\": \"" + dir.resolve("root") + "\", \"hosts\": [\"unix://" + socket + "\"]}");
        env = Map.of("JCOMPOSE_HOST", "unix://" + socket, "JCOMPOSE_DAEMON_CONFIG", config.toString());
    }

    /**
     * Runs {@code jcompose --progress plain -f <composeFile> args...} against this engine.
     *
     * @param composeFile the project's compose file
     * @param args the command and its flags
     * @return exit code and output
     */
    ConfigCommandTest.Result jcompose(Path composeFile, String... args) {
        List<String> all = new ArrayList<>(List.of("--progress", "plain", "-f", composeFile.toString()));
        all.addAll(List.of(args));
        return ConfigCommandTest.run(env, all.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        run.close();
    }
}
