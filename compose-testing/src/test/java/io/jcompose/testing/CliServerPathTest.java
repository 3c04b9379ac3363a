package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.testing.support.PrivateEngine;
import io.jcompose.testing.support.RealEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up} handed to the CLI server inside the private jcomposed (the default when its socket is
 * there) and the same stack in this JVM ({@code JCOMPOSE_NO_SERVER=1}, what happens without a
 * server): both label everything with the session (so the reaper finds it), both give working
 * handles, both take everything down.
 */
@RealEngine
class CliServerPathTest {
    private static final Path REDIS = Path.of("src", "test", "compose", "redis");

    @TempDir Path dir;

    @Test
    void theDefaultPathRunsUpInTheCliServerWithTheSessionLabel() {
        PrivateEngine.get().start();
        assertThat(PrivateEngine.get().socket().resolveSibling(CliServerCall.SOCKET_NAME)).as("jcomposed runs a CLI server").exists();
        ComposeStack stack = ComposeProject.from(REDIS).up();
        try {
            assertThat(stack.viaCliServer()).isTrue();
            assertUpLabelledAndWorking(stack);
            assertThat(stack.project().name()).as("the model, loaded on demand, is the same project").isEqualTo(stack.projectName());
        } finally {
            stack.down();
        }
        assertGone(stack.projectName());
    }

    @Test
    void aLogLineWaitAndAPublishedPortThroughTheServerGiveAReadyRedis() throws Exception {
        PrivateEngine.get().start();
        Path compose = Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  cache:
                    image: redis:7.0
                    ports: ["6379"]
                """);
        try (ComposeStack stack = ComposeProject.from(compose)
                .waitingFor("cache", Wait.forLogLine("Ready to accept connections").withTimeout(java.time.Duration.ofSeconds(60))).up()) {
            assertThat(stack.viaCliServer()).isTrue();
            assertThat(stack.service("cache").logs()).as("ready means the line is there").contains("Ready to accept connections");
            int port = stack.service("cache").port(6379);
            try (var s = new java.net.Socket(stack.service("cache").host(), port)) {
                s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(7), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            }
            assertThatThrownBy(() -> stack.service("cache").port(6380)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void withoutTheServerThisJvmBringsTheSameStackUp() {
        ComposeStack stack = ComposeProject.from(REDIS).withEnv("JCOMPOSE_NO_SERVER", "1").up();
        try {
            assertThat(stack.viaCliServer()).isFalse();
            assertUpLabelledAndWorking(stack);
        } finally {
            stack.down();
        }
        assertGone(stack.projectName());
    }

    @Test
    void aBadFileFailsWithTheLoadersOneLineOnBothPaths() throws Exception {
        PrivateEngine.get().start();
        Path file = Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    image: [not, a, string]\n");
        String inProcess = catchMessage(ComposeProject.from(file).withEnv("JCOMPOSE_NO_SERVER", "1"));
        String viaServer = catchMessage(ComposeProject.from(file));
        assertThat(viaServer).isEqualTo(inProcess).doesNotContain("\n").contains("image");
    }

    @Test
    void aServiceThatExitsIsReportedByTheServerPathAsInProcess() {
        PrivateEngine.get().start();
        ComposeProject project = ComposeProject.from(Path.of("src", "test", "compose", "crashing"));
        try (ComposeStack stack = project.up()) {
            throw new AssertionError("up should have failed, but " + stack.projectName() + " is up");
        } catch (ServiceNotReadyException e) {
            assertThat(e.getStackTrace()).as("the CLI server ran up")
                    .anyMatch(f -> f.getMethodName().equals("cliUp")).noneMatch(f -> f.getMethodName().equals("reconcileUp"));
            assertThat(e.service()).isEqualTo("crasher");
            assertThat(e.reason()).matches("container crashing-[0-9a-f]{6}-crasher-1 exited \\(3\\)");
            assertThat(e.lastLogLines()).containsExactly("boom: no config found");
        }
    }

    @Test
    void aHealthCheckStillStartingAtTheStartupTimeoutIsReportedByTheServerPathWithItsLogLines() throws Exception {
        PrivateEngine.get().start();
        Path file = Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  slow:
                    image: busybox:latest
                    command: ["sh", "-c", "echo warming up; exec sleep 3600"]
                    healthcheck:
                      test: ["CMD", "false"]
                      interval: 1s
                      retries: 1000
                """);
        try (ComposeStack stack = ComposeProject.from(file).withStopTimeout(0).withStartupTimeout(java.time.Duration.ofSeconds(3)).up()) {
            throw new AssertionError("up should have failed, but " + stack.projectName() + " is up");
        } catch (ServiceNotReadyException e) {
            assertThat(e.getStackTrace()).as("the CLI server ran up").anyMatch(f -> f.getMethodName().equals("cliUp"));
            assertThat(e.service()).isEqualTo("slow");
            assertThat(e.lastLogLines()).containsExactly("warming up");
        }
    }

    private static String catchMessage(ComposeProject project) {
        try (ComposeStack stack = project.up()) {
            throw new AssertionError("up of a bad file succeeded: " + stack.projectName());
        } catch (ComposeException e) {
            return e.getMessage();
        }
    }

    private static void assertUpLabelledAndWorking(ComposeStack stack) {
        EngineClient client = PrivateEngine.get().client();
        Filters ofSession = new Filters(Map.of("label", Set.of(ComposeSession.LABEL + "=" + ComposeSession.current().id(),
                "com.docker.compose.project=" + stack.projectName())));
        assertThat(client.listContainers(true, ofSession)).as("the container carries the session").hasSize(1);
        assertThat(client.listNetworks(ofSession)).as("the network carries the session").hasSize(1);
        ServiceHandle cache = stack.service("cache");
        assertThat(cache.exec("redis-cli", "ping").stdout().trim()).isEqualTo("PONG");
        assertThat(cache.ip()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThatThrownBy(() -> stack.service("db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no service \"db\" in project " + stack.projectName() + " (services: cache)");
    }

    private static void assertGone(String project) {
        Filters of = new Filters(Map.of("label", Set.of("com.docker.compose.project=" + project)));
        EngineClient client = PrivateEngine.get().client();
        assertThat(client.listContainers(true, of)).isEmpty();
        assertThat(client.listNetworks(of)).isEmpty();
    }
}
