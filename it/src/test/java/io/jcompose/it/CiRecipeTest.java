package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code samples/ci/run-tests.sh}, the documented CI recipe, run for real against a private
 * engine: it brings samples/devstack up, tests it and takes it down; interrupted with SIGINT (as
 * Ctrl-C does, to the whole process group) while {@code up} is running, it still takes everything
 * down. Both times nothing of the project may remain in the engine.
 */
@Tag("root")
@Tag("registry")
class CiRecipeTest {
    private static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();
    private static final String PROJECT_LABEL = "com.docker.compose.project";

    /** One private engine for the class: the second run finds the images already pulled. */
    @RegisterExtension static final ComposeRuns compose = new ComposeRuns();

    static ComposeRun run;
    static Path samples;
    static Path cli;

    @BeforeAll
    static void prepare() throws Exception {
        samples = ComposeRun.copyTree(SAMPLES, compose.dir().resolve("samples"));
        run = compose.prepare(samples.resolve("devstack").resolve("compose.yaml"));
        cli = compose.dir().resolve("jcompose");
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        Files.writeString(cli, "#!/bin/sh\nexec '" + javaBin + "' --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path")
                + "' io.jcompose.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theScriptTestsTheDevstackAndTakesItDown() throws Exception {
        String project = "ci-ok-" + ProcessHandle.current().pid();
        Process script = start(project);
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(10, TimeUnit.MINUTES)).as("script finished:\n" + out).isTrue();
        System.out.println(out);
        assertThat(script.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("run-tests: ok: the app answers and counts \\(visits 1 -> 2\\)")
                .contains("--- run-tests: removing project " + project);
        assertNothingLeft(project);
    }

    @Test
    void ctrlCWhileUpIsRunningStillTakesEverythingDown() throws Exception {
        String project = "ci-int-" + ProcessHandle.current().pid();
        Process script = start(project);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        EngineClient engine = new EngineClient(new DockerHost.Unix(run.socket()));
        // interrupt once the first container of the project exists: `up` is under way
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && script.isAlive() && !hasContainers(engine, project)) {
            Thread.sleep(200);
        }
        assertThat(script.isAlive()).as("still running when interrupted").isTrue();
        // Ctrl-C signals the terminal's whole process group; the script runs in its own (setsid)
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + script.pid()).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(script.waitFor(5, TimeUnit.MINUTES)).as("script ended after SIGINT").isTrue();
        String text = out.get(1, TimeUnit.MINUTES);
        System.out.println(text);
        assertThat(script.exitValue()).as(text).isEqualTo(130);
        assertThat(text).contains("--- run-tests: removing project " + project);
        assertNothingLeft(project);
    }

    /** Starts the script in its own session and process group, on a private engine. */
    private static Process start(String project) {
        ProcessBuilder pb = new ProcessBuilder("setsid", "bash", samples.resolve("ci").resolve("run-tests.sh").toString()).redirectErrorStream(true);
        pb.environment().putAll(run.environment());
        pb.environment().put("JCOMPOSE", cli.toString());
        pb.environment().put("COMPOSE_PROJECT_NAME", project);
        pb.environment().remove("APP_PORT");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNothingLeft(String project) {
        EngineClient engine = new EngineClient(new DockerHost.Unix(run.socket()));
        Filters mine = Filters.of("label", PROJECT_LABEL + "=" + project);
        assertThat(engine.listContainers(true, mine)).as("containers of " + project).isEmpty();
        assertThat(engine.listNetworks(mine)).as("networks of " + project).isEmpty();
        assertThat(engine.listVolumes(mine)).as("volumes of " + project).isEmpty();
        assertThat(engine.listContainers(true, Filters.NONE)).as("containers in the private engine").isEmpty();
    }

    private static boolean hasContainers(EngineClient engine, String project) {
        try {
            return !engine.listContainers(true, Filters.of("label", PROJECT_LABEL + "=" + project)).isEmpty();
        } catch (RuntimeException e) {
            return false; // the daemon is still starting
        }
    }
}
