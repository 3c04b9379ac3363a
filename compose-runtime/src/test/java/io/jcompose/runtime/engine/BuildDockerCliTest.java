package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.engine.PrivateDaemon.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /build} on a private {@code jcomposed}, driven by clients nobody here wrote:
 * Debian's docker CLI with the classic builder ({@code DOCKER_BUILDKIT=0 docker build}) and
 * docker-compose 1.29's {@code build}. The build cache survives a daemon restart; nothing of the
 * build containers is left on the host.
 */
@Tag("root")
@Tag("registry")
class BuildDockerCliTest {
    static final Path DOCKER = Path.of("/usr/bin/docker");
    static final Path COMPOSE_V1 = Path.of("/usr/bin/docker-compose");

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("build-cli").cli(DOCKER).noPull()
            .env("DOCKER_BUILDKIT", "0").env("COMPOSE_DOCKER_CLI_BUILD", "0");

    @AfterAll
    static void nothingOfTheBuildsIsLeft() throws Exception {
        if (!d.running()) {
            return;
        }
        docker("ps", "-aq").out().lines().filter(l -> !l.isBlank()).forEach(id -> {
            try {
                docker("rm", "-f", id);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // docker run --rm returns before the daemon's auto-remove has released the network
        for (int i = 0; i < 60 && !docker("ps", "-aq").out().isBlank(); i++) {
            Thread.sleep(500);
        }
        assertThat(docker("ps", "-aq").out()).as("containers still there").isBlank();
        d.removeAllAndStop();
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mountinfo).as("mounts under the data root").doesNotContain(d.dir().toString());
        assertThat(mountinfo).as("mounts under the run root").doesNotContain(d.runRoot().toString());
    }

    @Test
    void classicDockerBuildRunsStepsCachesThemAndTheImageRuns() throws Exception {
        Path ctx = context("app", Map.of(
                "Dockerfile", """
                        FROM busybox
                        ARG FLAVOUR=plain
                        RUN echo 'app:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd && mkdir -p /home/app && chown 1234 /home/app
                        COPY greeting.txt /srv/
                        ENV GREETING=hello
                        USER app
                        WORKDIR /home/app
                        RUN echo "$(id -u) $(pwd) $GREETING $FLAVOUR" > made-by-run && echo to-stderr >&2
                        CMD ["sh", "-c", "cat made-by-run /srv/greeting.txt; id -u; pwd; echo $GREETING"]
                        """,
                "greeting.txt", "hi there\n"));
        Run first = build(ctx, "-t", "jc-build-test:1", "-t", "jc-build-test:also", "--label", "org.example.team=build",
                "--build-arg", "FLAVOUR=spicy", "--build-arg", "UNUSED=1", ".").ok();
        assertThat(first.out()).contains("Step 1/9 : FROM busybox", "Step 9/9 : CMD [\"sh\"", " ---> Running in ",
                "to-stderr", "[Warning] One or more build-args [UNUSED] were not consumed",
                "Successfully tagged jc-build-test:1").doesNotContain("Using cache");
        String id = builtId(first.out());
        assertThat(docker("run", "--rm", "jc-build-test:1").ok().out()).isEqualTo("""
                1234 /home/app hello spicy
                hi there
                1234
                /home/app
                hello
                """);
        assertThat(docker("image", "inspect", "-f", "{{.Config.User}} {{.Config.WorkingDir}} {{index .Config.Labels \"org.example.team\"}} {{.Id}}",
                "jc-build-test:also").ok().out()).startsWith("app /home/app build sha256:" + id);

        Run again = build(ctx, "-t", "jc-build-test:2", "--label", "org.example.team=build", "--build-arg", "FLAVOUR=spicy", ".").ok();
        assertThat(Pattern.compile(" ---> Using cache").matcher(again.out()).results().count()).isEqualTo(8);
        assertThat(builtId(again.out())).isEqualTo(id);
        // as dockerd: the last step's arrow is the image id
        assertThat(again.out()).contains(" ---> " + id + "\nSuccessfully built " + id + "\n");

        Files.writeString(ctx.resolve("greeting.txt"), "changed\n");
        Run quiet = build(ctx, "-q", "--build-arg", "FLAVOUR=spicy", ".").ok();
        assertThat(quiet.out()).matches("sha256:[0-9a-f]{64}\n").doesNotStartWith("sha256:" + id);
        assertThat(docker("run", "--rm", quiet.out().strip(), "cat", "/srv/greeting.txt").ok().out()).isEqualTo("changed\n");

        // the cache is on disk: a restarted daemon still hits it
        d.restart();
        Run afterRestart = build(ctx, "--build-arg", "FLAVOUR=spicy", ".").ok();
        assertThat(Pattern.compile(" ---> Using cache").matcher(afterRestart.out()).results().count()).isEqualTo(8);

        // the 20.10 CLI sends until as a filter and keep-storage in bytes: records younger than a day, or
        // fitting in 10 GB, stay (dockerd prints 0B then, with no list)
        Run young = docker("builder", "prune", "-f", "--filter", "until=24h").ok();
        assertThat(young.out().strip()).isEqualTo("Total reclaimed space: 0B");
        Run fits = docker("builder", "prune", "-af", "--keep-storage", "10gb").ok();
        assertThat(fits.out().strip()).isEqualTo("Total reclaimed space: 0B");
        assertThat(Pattern.compile(" ---> Using cache").matcher(build(ctx, "--build-arg", "FLAVOUR=spicy", ".").ok().out()).results().count())
                .isEqualTo(8);

        Run prune = docker("builder", "prune", "-af").ok();
        assertThat(prune.out()).startsWith("Deleted build cache objects:\n").containsPattern("Total reclaimed space: [0-9.]+[kMG]?B\n$");
        Run cold = build(ctx, "--build-arg", "FLAVOUR=spicy", ".").ok();
        assertThat(cold.out()).doesNotContain("Using cache");
    }

    @Test
    void failingRunStopsTheBuildWithDockersMessageAndExitCode() throws Exception {
        Path ctx = context("fail", Map.of("Dockerfile", "FROM busybox\nRUN echo before\nRUN exit 3\nRUN echo never\n"));
        Run r = build(ctx, "-t", "jc-build-fail", ".");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("Step 3/4 : RUN exit 3", "before").doesNotContain("never", "Successfully");
        assertThat(r.err()).contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(docker("image", "inspect", "jc-build-fail").exit()).isNotZero();
        Path buildContainers = d.dir().resolve("root/builder/containers");
        try (Stream<Path> s = Files.list(buildContainers)) {
            assertThat(s.toList()).as("build containers left").isEmpty();
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(d.dir().resolve("root/builder").toString());

        Path bad = context("bad", Map.of("Dockerfile", "FROM busybox\nRUNN echo\n"));
        Run parse = build(bad, ".");
        assertThat(parse.exit()).isEqualTo(1);
        assertThat(parse.err()).contains("Error response from daemon: Dockerfile:2: unknown instruction: RUNN (did you mean RUN?)");
    }

    @Test
    void multiStageTargetAndCopyFrom() throws Exception {
        Path ctx = context("multi", Map.of("Dockerfile", """
                FROM debian:bookworm-slim AS builder
                RUN echo from-debian > /artifact
                FROM busybox AS unused
                RUN false
                FROM busybox AS final
                COPY --from=builder /artifact /artifact
                CMD ["cat", "/artifact"]
                """));
        Run r = build(ctx, "-t", "jc-build-multi", "--target", "final", ".").ok();
        assertThat(r.out()).doesNotContain("RUN false");
        assertThat(docker("run", "--rm", "jc-build-multi").ok().out()).isEqualTo("from-debian\n");
    }

    @Test
    void composeV1BuildsThroughTheApi() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(COMPOSE_V1), "docker-compose 1.29 is not installed at " + COMPOSE_V1);
        Path ctx = context("composev1", Map.of(
                "Dockerfile", "FROM busybox\nARG WHO\nRUN echo built-for-$WHO > /who\nCMD [\"cat\", \"/who\"]\n",
                "docker-compose.yml", """
                        version: "3.8"
                        services:
                          web:
                            build:
                              context: .
                              args:
                                WHO: compose
                        """));
        Run r = d.command(ctx, 300, List.of(COMPOSE_V1.toString(), "-p", "jcbuildv1", "build")).ok();
        assertThat(r.out() + r.err()).contains("Successfully tagged jcbuildv1_web:latest");
        assertThat(docker("run", "--rm", "jcbuildv1_web").ok().out()).isEqualTo("built-for-compose\n");
    }

    // ------------------------------------------------------------------ helpers

    static String builtId(String out) {
        Matcher m = Pattern.compile("Successfully built ([0-9a-f]{12})").matcher(out);
        assertThat(m.find()).as("Successfully built in " + out).isTrue();
        return m.group(1);
    }

    static Path context(String name, Map<String, String> files) throws IOException {
        return d.context(name, files);
    }

    static Run build(Path ctx, String... args) throws IOException, InterruptedException {
        return d.build(ctx, args);
    }

    static Run docker(String... args) throws IOException, InterruptedException {
        return d.docker(120, args);
    }
}
