package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.cli.command.ConfigCommandTest.Result;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec}, {@code kill}, {@code pause}, {@code unpause} and {@code port}: their flags and
 * errors against a real in-process jcomposed without a container service (no container runs),
 * and the pure parts (port lookup, {@code -e}) on their own. Real containers: it/ContainerCommandsTest.
 */
class ContainerCommandsTest {
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
                  web: {image: busybox:latest, command: ["sleep", "60"]}
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
    void execOfAServiceThatDoesNotRunIsComposesOneLine() {
        Result r = run("exec", "-T", "web", "ls", "-l");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("service \"web\" is not running");
    }

    @Test
    void execNeedsACommandAndLeavesTheCommandsFlagsAlone() {
        assertThat(run("exec", "web").code()).isEqualTo(1);
        // -l after the service is the command's, not an unknown flag of ours
        assertThat(run("exec", "--index", "2", "-u", "nobody", "-w", "/tmp", "-e", "A=1", "web", "ls", "-l").err())
                .doesNotContain("unknown");
    }

    @Test
    void killPauseUnpauseWithNothingRunningSucceedQuietly() {
        for (String cmd : List.of("kill", "pause", "unpause")) {
            Result r = run(cmd, "web");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).isEmpty();
        }
        assertThat(run("kill", "-s", "TERM").code()).isZero();
    }

    @Test
    void portOfAServiceThatDoesNotRunFails() {
        Result r = run("port", "web", "80");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("service \"web\" is not running");
    }

    @Test
    void portFindsTheBindingOfThePortAndProtocol() {
        ContainerSummary c = new ContainerSummary("id", List.of("/demo-web-1"), "busybox", null, "sh", 0,
                List.of(new ContainerSummary.Port("0.0.0.0", 80, 49153, "tcp"),
                        new ContainerSummary.Port("127.0.0.1", 53, 49154, "udp"),
                        new ContainerSummary.Port(null, 81, null, "tcp")),
                null, null, Map.of(), "running", "Up", null, null, null);
        assertThat(PortCommand.published(c, "80", "tcp")).isEqualTo("0.0.0.0:49153");
        assertThat(PortCommand.published(c, "53/udp", "tcp")).isEqualTo("127.0.0.1:49154");
        assertThat(PortCommand.published(c, "53", "udp")).isEqualTo("127.0.0.1:49154");
        assertThatThrownBy(() -> PortCommand.published(c, "53", "tcp")).hasMessage("no port 53/tcp for container demo-web-1");
        assertThatThrownBy(() -> PortCommand.published(c, "81", "tcp")).hasMessage("no port 81/tcp for container demo-web-1");
        assertThatThrownBy(() -> PortCommand.published(c, "x", "tcp")).hasMessageContaining("invalid port \"x\"");
    }

    @Test
    void envWithoutAValueComesFromOursOrIsDropped() {
        assertThat(ExecCommand.environment(List.of("A=1", "HOME", "NOPE", "B="), Map.of("HOME", "/root")))
                .containsExactly("A=1", "HOME=/root", "B=");
    }

    @Test
    void lsOnAnEmptyEngineIsTheHeaderAndBadFormatsAreOneLine() {
        Result r = ConfigCommandTest.run(env, "ls");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("NAME      STATUS    CONFIG FILES\n");
        assertThat(ConfigCommandTest.run(env, "ls", "--format", "json").out()).isEqualTo("[]\n");
        Result bad = ConfigCommandTest.run(env, "ls", "--format", "yaml");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("unsupported format \"yaml\": use table or json");
    }

    @Test
    void lsCountsStatesPerProjectAsComposeDoes() {
        List<ContainerSummary> containers = List.of(
                summary("b", "running", "/p/b/compose.yaml"), summary("a", "running", "/p/a/compose.yaml"),
                summary("a", "exited", "/p/a/compose.yaml"), summary("a", "running", "/p/a/compose.yaml"));
        List<LsCommand.Stack> stacks = LsCommand.stacks(containers);
        assertThat(stacks).containsExactly(new LsCommand.Stack("a", "exited(1), running(2)", "/p/a/compose.yaml"),
                new LsCommand.Stack("b", "running(1)", "/p/b/compose.yaml"));
        assertThat(LsCommand.render(stacks, false, "table")).isEqualTo("""
                NAME      STATUS                  CONFIG FILES
                a         exited(1), running(2)   /p/a/compose.yaml
                b         running(1)              /p/b/compose.yaml
                """);
        assertThat(LsCommand.render(stacks, true, "table")).isEqualTo("a\nb\n");
        assertThat(LsCommand.render(stacks.subList(1, 2), false, "json"))
                .isEqualTo("[{\"Name\":\"b\",\"Status\":\"running(1)\",\"ConfigFiles\":\"/p/b/compose.yaml\"}]\n");
    }

    private static ContainerSummary summary(String project, String state, String files) {
        return new ContainerSummary("id", List.of("/" + project + "-web-1"), "busybox", null, "sh", 0, List.of(), null, null,
                Map.of("com.docker.compose.project", project, "com.docker.compose.project.config_files", files), state, state,
                null, null, null);
    }
}
