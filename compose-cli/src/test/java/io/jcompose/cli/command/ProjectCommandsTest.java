package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.cli.command.ConfigCommandTest.Result;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project commands against a real in-process jcomposed with no container service wired
 * (lists are empty, creating a container is a 501), and compose's table and log formats.
 */
class ProjectCommandsTest {
    @TempDir Path dir;

    EmptyEngine engine;
    Map<String, String> env;
    Path compose;

    @BeforeEach
    void startDaemon() throws IOException {
        engine = new EmptyEngine(dir);
        env = engine.env;
        compose = dir.resolve("compose.yaml");
        Files.writeString(compose, """
                name: demo
                services:
                  web: {image: busybox:latest, command: ["sleep", "60"], depends_on: [db]}
                  db: {image: busybox:latest, volumes: [data:/data]}
                volumes:
                  data: {}
                """);
    }

    @AfterEach
    void stop() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    Result run(String... args) {
        return engine.jcompose(compose, args);
    }

    @Test
    void psOnAnEmptyEnginePrintsTheHeaderOnly() {
        assertThat(run("ps")).isEqualTo(new Result(0,
                "NAME      IMAGE     COMMAND   SERVICE   CREATED   STATUS    PORTS\n", ""));
        assertThat(run("ps", "-q")).isEqualTo(new Result(0, "", ""));
        assertThat(run("ps", "--status", "bogus").err()).isEqualTo("invalid filter 'status=bogus'\n");
        assertThat(run("ps", "nosuch").err()).isEqualTo("no such service: nosuch\n");
    }

    @Test
    void upFailsWithOneLineWhenTheEngineCannotCreateAndDownCleansUp() {
        Result up = run("up", "-d");
        assertThat(up.code()).isEqualTo(1);
        // the plain display (now on the captured stderr) shows the image's error, then the one error line
        assertThat(up.err()).contains(" Image busybox:latest Error Error response from daemon: ");
        assertThat(up.err().lines().toList().getLast()).startsWith("Error response from daemon: ");
        Result down = run("down", "-v");
        assertThat(down.code()).isZero();
        assertThat(down.err()).isEmpty();
        assertThat(ConfigCommandTest.run(env, "-p", "demo", "down")).isEqualTo(new Result(0, "", ""));
    }

    @Test
    void upRejectsContradictoryFlags() {
        assertThat(run("up", "-d", "--force-recreate", "--no-recreate"))
                .isEqualTo(new Result(1, "", "--force-recreate and --no-recreate are incompatible\n"));
        assertThat(run("up", "-d", "--scale", "web")).isEqualTo(new Result(1, "", "invalid --scale option \"web\": expected SERVICE=NUM\n"));
    }

    @Test
    void anotherSocketWithNothingBehindIsOneLine() {
        Result r = ConfigCommandTest.run(Map.of("JCOMPOSE_DAEMON_CONFIG", env.get("JCOMPOSE_DAEMON_CONFIG")),
                "-H", "unix://" + dir.resolve("none.sock"), "-f", compose.toString(), "ps");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("cannot connect to the engine at unix://" + dir.resolve("none.sock")
                + ": nothing answers there (start one with 'jcompose -H unix://" + dir.resolve("none.sock") + " engine start')\n");
    }

    @Test
    void psTableLooksLikeComposes() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        var web = new ContainerSummary("abc", List.of("/demo-web-1"), "nginx:latest", "sha256:1", "/docker-entrypoint.sh nginx -g 'daemon off;'",
                now.minusSeconds(120).getEpochSecond(), List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp"),
                        new ContainerSummary.Port(null, 443, null, "tcp")), null, null,
                Map.of("com.docker.compose.service", "web"), "running", "Up 2 minutes (healthy)", null, null, null);
        assertThat(PsCommand.table(List.of(web), now, true)).isEqualTo("""
                NAME         IMAGE          COMMAND                  SERVICE   CREATED         STATUS                   PORTS
                demo-web-1   nginx:latest   "/docker-entrypoint.…"   web       2 minutes ago   Up 2 minutes (healthy)   0.0.0.0:8080->80/tcp, 443/tcp
                """);
        assertThat(PsCommand.humanDuration(Duration.ofSeconds(0))).isEqualTo("Less than a second");
        assertThat(PsCommand.humanDuration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(PsCommand.humanDuration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(PsCommand.humanDuration(Duration.ofMinutes(70))).isEqualTo("About an hour");
        assertThat(PsCommand.humanDuration(Duration.ofHours(50))).isEqualTo("2 days");
        assertThat(PsCommand.jsonOf(web, now)).containsEntry("Name", "demo-web-1").containsEntry("Health", "healthy")
                .containsEntry("Service", "web").containsEntry("State", "running");
    }

    @Test
    void logPrefixesDropTheProjectAsComposeDoes() {
        var c = new ContainerSummary("abc", List.of("/demo-web-1"), "busybox", null, "", 0, List.of(), null, null,
                Map.of("com.docker.compose.project", "demo"), "running", "Up", null, null, null);
        var other = new ContainerSummary("def", List.of("/custom"), "busybox", null, "", 0, List.of(), null, null,
                Map.of("com.docker.compose.project", "demo"), "running", "Up", null, null, null);
        assertThat(LogsCommand.displayName(c)).isEqualTo("web-1");
        assertThat(LogsCommand.displayName(other)).isEqualTo("custom");
    }

    @Test
    void logStreamsSplitIntoLines() throws IOException {
        List<String> lines = new ArrayList<>();
        byte[] one = "hello\nwor".getBytes();
        byte[] two = "ld\r\nlast".getBytes();
        ByteBuffer b = ByteBuffer.allocate(16 + one.length + two.length);
        b.put(new byte[] {1, 0, 0, 0}).putInt(one.length).put(one).put(new byte[] {2, 0, 0, 0}).putInt(two.length).put(two);
        LogsCommand.copyLines(new ByteArrayInputStream(b.array()), false, lines::add);
        assertThat(lines).containsExactly("hello", "world", "last");
        lines.clear();
        LogsCommand.copyLines(new ByteArrayInputStream("a\nb\n".getBytes()), true, lines::add);
        assertThat(lines).containsExactly("a", "b");
    }
}
