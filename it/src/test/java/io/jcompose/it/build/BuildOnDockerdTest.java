package io.jcompose.it.build;

import io.jcompose.cli.Main;
import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRun.Result;
import io.jcompose.it.support.RefDockerd;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.testsupport.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build scenarios with jcompose driving Debian's dockerd ({@code -H}): the CLI side of
 * builds (context tar, {@code .dockerignore}, query parameters, stream, exit codes, push) proven
 * against the reference classic builder. The heredoc RUN is BuildKit syntax the classic builder
 * does not parse, so here it must fail naming its line; jcomposed runs it.
 */
@Tag("root")
@Tag("registry")
class BuildOnDockerdTest extends BuildScenarios {
    @TempDir Path dir;

    BuildProject project;
    /** Where the tests push to. */
    static RegistryServer registry;

    @BeforeAll
    static void startDockerd(@TempDir Path registryDir) throws Exception {
        Assumptions.assumeTrue(ComposeRun.registryAnswers(), "the fixture registry does not answer on 127.0.0.1:5000: run fixtures/registry up");
        RefDockerd.ensure(); // shared; stopped at JVM exit if started here
        registry = RegistryServer.anonymous(registryDir);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void writeProject() throws Exception {
        project = BuildProject.write(dir, registry.host());
    }

    @AfterEach
    void cleanUp() {
        if (project != null) {
            removeImages();
        }
    }

    @Override
    BuildProject project() {
        return project;
    }

    @Override
    Result jcompose(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--progress", "plain", "-H", refHost(), "-f", project.composeFile().toString()));
        all.addAll(List.of(args));
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                BuildProject.env(), all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    EngineClient engine() {
        try {
            return RefDockerd.client();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String refHost() {
        try {
            return RefDockerd.host();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theClassicBuilderRefusesAHeredocNamingItsLine() {
        Result build = jcompose("build", "heredoc");
        assertThat(build.code()).isNotZero();
        assertThat(build.err().strip().lines()).hasSize(1);
        assertThat(build.err()).containsPattern("line [0-9]");
    }

    @Test
    void additionalContextsAreRefusedByTheClassicBuilderInOneLine() {
        Result build = jcompose("build", "named");
        assertThat(build.code()).isEqualTo(1);
        assertThat(build.err().strip()).isEqualTo("service \"named\": the engine's builder (POST /build) does not support"
                + " additional_contexts (jcomposed does); remove them from the build section or build on jcomposed");
    }
}
