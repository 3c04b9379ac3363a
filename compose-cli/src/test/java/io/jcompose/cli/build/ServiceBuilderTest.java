package io.jcompose.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.runtime.api.model.BuildMessage;
import io.jcompose.runtime.api.model.ImageBuildOptions;
import io.jcompose.runtime.api.model.ProgressMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

class ServiceBuilderTest {
    @TempDir Path dir;

    private Project load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        return ProjectLoader.load(LoadOptions.defaults().withEnvironment(env).withCurrentDirectory(dir).withProjectName("shop"));
    }

    @Test
    void optionsCarryTheBuildSectionTheImageNameAndComposesBuilderLabel() throws IOException {
        Project p = load("""
                services:
                  web:
                    build:
                      context: .
                      target: prod
                      network: none
                      shm_size: 256m
                      ulimits: {nofile: {soft: 1000, hard: 2000}, nproc: 64}
                      tags: ["extra:1"]
                      labels: {team: shop}
                      no_cache: true
                      extra_hosts: ["db=10.0.0.2"]
                      platforms: [linux/amd64]
                  api:
                    image: registry.example/api:2
                    build: .
                """, Map.of());
        ImageBuildOptions web = ServiceBuilder.options(p, p.service("web"), BuildFlags.none(), "Dockerfile", Map.of());
        assertThat(web.tags()).containsExactly("extra:1", "shop-web");
        assertThat(web.labels()).containsEntry("team", "shop").containsEntry("com.docker.compose.image.builder", "classic");
        assertThat(web.target()).isEqualTo("prod");
        assertThat(web.networkMode()).isEqualTo("none");
        assertThat(web.noCache()).isTrue();
        assertThat(web.pull()).isFalse();
        assertThat(web.platform()).isEqualTo("linux/amd64");
        assertThat(web.extraHosts()).containsExactly("db:10.0.0.2");
        assertThat(web.shmSize()).isEqualTo(256L << 20);
        assertThat(web.ulimits()).containsExactlyInAnyOrder(
                new io.jcompose.runtime.api.model.HostConfig.Ulimit("nofile", 1000L, 2000L),
                new io.jcompose.runtime.api.model.HostConfig.Ulimit("nproc", 64L, 64L));
        ImageBuildOptions api = ServiceBuilder.options(p, p.service("api"), new BuildFlags(Map.of(), false, true, false), "Dockerfile", Map.of());
        assertThat(api.tags()).containsExactly("registry.example/api:2");
        assertThat(api.pull()).isTrue();
        assertThat(api.noCache()).isFalse();
        assertThat(api.shmSize()).isZero();
        assertThat(api.ulimits()).isEmpty();
    }

    @Test
    void buildArgsAreTheFilesOverriddenByTheFlagsWithValuelessOnesFromTheEnvironment() throws IOException {
        Project p = load("""
                services:
                  web:
                    build:
                      context: .
                      args:
                        GREETING: hi
                        SUFFIX:
                        UNSET:
                        KEEP: file
                """, Map.of("SUFFIX", "-env", "FROMFLAG", "flag-env"));
        Map<String, String> flags = BuildFlags.parseArgs(List.of("GREETING=cli", "FROMFLAG", "EMPTY=", "NOWHERE"));
        Map<String, String> args = ServiceBuilder.buildArgs(p, p.service("web").build(), new BuildFlags(flags, false, false, false));
        Map<String, String> expected = new HashMap<>();
        expected.put("GREETING", "cli");
        expected.put("SUFFIX", "-env");
        // UNSET: compose drops a value-less arg the environment lacks when it loads the file
        expected.put("KEEP", "file");
        expected.put("FROMFLAG", "flag-env");
        expected.put("EMPTY", "");
        expected.put("NOWHERE", null); // declared without a value: the Dockerfile's default applies
        assertThat(args).isEqualTo(expected);
        assertThatThrownBy(() -> BuildFlags.parseArgs(List.of("=x"))).hasMessageContaining("--build-arg \"=x\"");
    }

    @Test
    void theOutputShowsTheStreamKeepsTheImageIdAndEndsAtAnErrorWithItsCode() {
        StringWriter text = new StringWriter();
        BuildOutput out = new BuildOutput(new PrintWriter(text), false);
        out.sendingContext(2048);
        out.accept(new BuildMessage("Step 1/2 : FROM busybox\n", null, null, null, null, null, null, null));
        out.accept(new BuildMessage(null, "Pulling fs layer", "abc", null, null, null, null, null));
        out.accept(new BuildMessage(null, "Downloading", "abc", new ProgressMessage.ProgressDetail(10L, 100L), null, null, null, null));
        out.accept(new BuildMessage(null, null, null, null, null, null, null,
                JsonNodeFactory.instance.objectNode().put("ID", "sha256:feed")));
        assertThat(text.toString()).isEqualTo("Sending build context to Docker daemon   2.048kB\nStep 1/2 : FROM busybox\nabc: Pulling fs layer\n");
        assertThat(out.imageId()).isEqualTo("sha256:feed");
        BuildMessage failed = new BuildMessage(null, null, null, null, null, new ProgressMessage.ErrorDetail(7, "The command '/bin/sh -c exit 7' returned a non-zero code: 7"), "x", null);
        assertThatThrownBy(() -> out.accept(failed)).isInstanceOf(BuildFailure.class)
                .hasMessage("The command '/bin/sh -c exit 7' returned a non-zero code: 7")
                .satisfies(e -> assertThat(((BuildFailure) e).exitCode()).isEqualTo(7));
        BuildMessage noCode = new BuildMessage(null, null, null, null, null, null, "failed to copy", null);
        assertThatThrownBy(() -> out.accept(noCode)).satisfies(e -> assertThat(((BuildFailure) e).exitCode()).isEqualTo(1));
    }

    @Test
    void quietOutputShowsNothing() {
        StringWriter text = new StringWriter();
        BuildOutput out = new BuildOutput(new PrintWriter(text), true);
        out.sendingContext(10);
        out.accept(new BuildMessage("Step 1/2 : FROM busybox\n", null, null, null, null, null, null, null));
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void whatPostBuildCannotCarryIsRefusedInOneLine() throws IOException {
        Project p = load("""
                services:
                  web:
                    build:
                      context: .
                      ssh:
                        - default
                """, Map.of());
        assertThatThrownBy(() -> new ServiceBuilder(null, null).build(p, p.service("web"), BuildFlags.none()))
                .isInstanceOf(BuildFailure.class)
                .hasMessage("service \"web\": the engine's builder (POST /build) does not support ssh; remove it from the build section");
    }
}
