package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.cli.command.ConfigCommandTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jcompose engine start|status|stop} with a real jcomposed process on a socket, data root
 * and exec root in a temp dir, its configuration (with a registry mirror) named by
 * {@code JCOMPOSE_DAEMON_CONFIG}.
 */
class EngineCommandTest {
    @TempDir Path dir;

    Map<String, String> env;
    String host;
    ShortRunRoot run;

    Map<String, String> setUp() throws IOException {
        run = new ShortRunRoot();
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, """
                {"data-root": "%s", "exec-root": "%s", "hosts": ["unix://%s"],
                 "registry-mirrors": ["http://127.0.0.1:5000"]}
                """.formatted(dir.resolve("data"), run.path, run.path.resolve("jcompose.sock")));
        host = "unix://" + run.path.resolve("jcompose.sock");
        env = Map.of("JCOMPOSE_DAEMON_CONFIG", config.toString(), "JCOMPOSE_HOST", host);
        return env;
    }

    @AfterEach
    void stopDaemon() throws IOException {
        if (env != null) {
            ConfigCommandTest.run(env, "engine", "stop"); // also when an assertion failed
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    void startStatusStopOnTheConfiguredSocket() throws IOException {
        setUp();
        assertThat(ConfigCommandTest.run(env, "engine", "status"))
                .isEqualTo(new Result(1, "jcomposed is not running on " + host + "\n", ""));

        Result start = ConfigCommandTest.run(env, "engine", "start");
        assertThat(start.err()).isEmpty();
        assertThat(start.out()).startsWith("jcomposed started on " + host + " (pid ");
        assertThat(ConfigCommandTest.run(env, "engine", "start").out()).isEqualTo("jcomposed is already running on " + host + "\n");

        Result status = ConfigCommandTest.run(env, "engine", "status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).startsWith("running on " + host + ": ")
                .contains("data root " + dir.resolve("data"), "registry mirrors http://127.0.0.1:5000");

        Result stop = ConfigCommandTest.run(env, "engine", "stop");
        assertThat(stop.code()).isZero();
        assertThat(stop.out()).startsWith("jcomposed stopped (pid ");
        assertThat(Files.exists(run.path.resolve("jcompose.sock"))).isFalse();
        assertThat(ConfigCommandTest.run(env, "engine", "status").code()).isEqualTo(1);
    }

    @Test
    void anotherSocketIsNotStartedImplicitlyButExplicitly() throws IOException {
        setUp();
        ShortRunRoot otherRun = new ShortRunRoot();
        String other = "unix://" + otherRun.path.resolve("other.sock");
        Map<String, String> otherEnv = Map.of("JCOMPOSE_DAEMON_CONFIG", env.get("JCOMPOSE_DAEMON_CONFIG"));
        assertThat(ConfigCommandTest.run(otherEnv, "-H", other, "engine", "status").code()).isEqualTo(1);
        Result start = ConfigCommandTest.run(otherEnv, "-H", other, "engine", "start",
                "--data-root", dir.resolve("data2").toString(), "--exec-root", otherRun.path.toString());
        try {
            assertThat(start.out()).startsWith("jcomposed started on " + other);
            assertThat(ConfigCommandTest.run(otherEnv, "-H", other, "engine", "status").out())
                    .contains("data root " + dir.resolve("data2"));
        } finally {
            assertThat(ConfigCommandTest.run(otherEnv, "-H", other, "engine", "stop").code()).isZero();
            otherRun.close();
        }
    }

    @Test
    void badDaemonConfigurationIsOneLine() throws IOException {
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, "{\"registry-mirror\": []}");
        Result r = ConfigCommandTest.run(Map.of("JCOMPOSE_DAEMON_CONFIG", config.toString()), "engine", "status");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(config + ": the following directives don't match any configuration option: registry-mirror\n");
    }
}
