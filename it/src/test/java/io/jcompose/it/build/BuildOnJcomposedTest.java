package io.jcompose.it.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRun.Result;
import io.jcompose.it.support.RefDockerd;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.api.model.ImageBuildOptions;
import io.jcompose.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The build scenarios on jcompose's own engine (one jcomposed for the class, started by the CLI
 * as for a user), plus the heredoc RUN the classic builder cannot parse, and the cross-oracle
 * check: the image jcompose builds here is pushed to the fixture registry, pulled and run by
 * Debian's dockerd, and has the same config as the image dockerd's classic builder makes from
 * the same Dockerfile and arguments.
 */
@Tag("root")
@Tag("registry")
class BuildOnJcomposedTest extends BuildScenarios {
    static Path dir;
    static BuildProject project;
    static ComposeRun run;
    /** Where the tests push to. */
    static RegistryServer registry;

    @BeforeAll
    static void startEngine() throws Exception {
        dir = Files.createTempDirectory("jcbuild-");
        registry = RegistryServer.anonymous(Files.createDirectories(dir.resolve("registry")));
        project = BuildProject.write(dir, registry.host());
        run = ComposeRun.prepare(project.composeFile(), dir, BuildProject.env());
        Result ps = run.jcompose("ps"); // starts jcomposed
        assertThat(ps.code()).as(ps.err()).isZero();
        Assumptions.assumeTrue(servesBuild(new EngineClient(new DockerHost.Unix(run.socket()))),
                "jcomposed has no POST /build route yet (branch buildengine): the build scenarios run on dockerd only (BuildOnDockerdTest)");
    }

    /** Whether the engine routes {@code POST /build} (a 404 "page not found" means no route at all). */
    private static boolean servesBuild(EngineClient client) throws Exception {
        Path empty = Files.createTempFile(dir, "empty", ".tar");
        Files.write(empty, new byte[1024]);
        try (var lines = client.build(new ImageBuildOptions(List.of(), "Dockerfile", Map.of(), Map.of(), false, false, null, null, null, null, false, Map.of(), 0, null),
                empty, null)) {
            while (lines.next() != null) {
                // drain whatever it answers
            }
            return true;
        } catch (EngineApiException e) {
            return e.status() != 404 || !e.getMessage().contains("page not found");
        } catch (RuntimeException e) {
            return true; // answered in-band: the route exists
        }
    }

    @AfterAll
    static void stopEngine() throws Exception {
        try {
            if (run != null) {
                run.close();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static final java.util.regex.Pattern CLASSIC_NOP = java.util.regex.Pattern.compile("^/bin/sh -c #\\(nop\\)\\s+([A-Z]+)\\b.*");
    private static final java.util.regex.Pattern INSTRUCTION = java.util.regex.Pattern.compile("^([A-Z]{2,})\\b.*");

    /**
     * {@code docker history}, oldest first, each entry as {@code <size>|<instruction>}: the
     * size tells whether (and how big) a layer it made; the instruction is the keyword, since
     * BuildKit ({@code ENV A=1}, as jcomposed writes) and the classic builder ({@code /bin/sh -c
     * #(nop)  ENV A=1}) spell {@code created_by} differently. Base image entries stay whole.
     */
    private static List<String> history(Path docker, String host, String image) throws Exception {
        List<String> entries = new java.util.ArrayList<>();
        for (String line : historyLines(docker, host, image)) {
            String size = line.substring(0, line.indexOf('|'));
            String createdBy = line.substring(line.indexOf('|') + 1);
            java.util.regex.Matcher nop = CLASSIC_NOP.matcher(createdBy);
            java.util.regex.Matcher instruction = INSTRUCTION.matcher(createdBy);
            String keyword = nop.matches() ? nop.group(1)
                    : createdBy.startsWith("|") || createdBy.startsWith("/bin/sh -c ") ? "RUN"
                    : instruction.matches() ? instruction.group(1) : createdBy;
            entries.addFirst(size + "|" + keyword);
        }
        return entries;
    }

    /** {@code docker history} as {@code <size>|<created by>|<comment>} lines, newest first. */
    private static List<String> historyLines(Path docker, String host, String image) throws Exception {
        String out = ComposeRun.run(docker.toString(), "-H", host, "history", "--no-trunc", "--human=false", "--format",
                "{{.Size}}|{{.CreatedBy}}|{{.Comment}}", image);
        return out.strip().lines().toList();
    }

    private static HealthConfig omitZeros(HealthConfig h) {
        return h == null ? null : new HealthConfig(h.test(), zeroless(h.interval()), zeroless(h.timeout()), zeroless(h.startPeriod()),
                zeroless(h.startInterval()), h.retries() == null || h.retries() == 0 ? null : h.retries());
    }

    private static Long zeroless(Long v) {
        return v == null || v == 0 ? null : v;
    }

    @Override
    BuildProject project() {
        return project;
    }

    @Override
    Result jcompose(String... args) {
        return run.jcompose(args);
    }

    @Override
    EngineClient engine() {
        return new EngineClient(new DockerHost.Unix(run.socket()));
    }

    @Test
    void additionalContextsServeCopyFromAndFromAndStayOutOfTheMainContext() throws Exception {
        Result up = jcompose("up", "--build", "named");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("hello from extra").contains("tool from extra").contains("main.txt")
                .doesNotContain(".jcompose-context");

        BuildProject.file(project.dir(), "extra/tool.sh", "echo changed tool\n");
        Result again = jcompose("up", "--build", "named");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("changed tool");
        // the copy of the unchanged greeting.txt stays cached; what comes from the changed stage runs again
        assertThat(BuildProject.cachedSteps(again.out())).containsEntry("COPY --from=extra /greeting.txt /greeting.txt", true)
                .containsEntry("COPY --from=tools /tool.sh /tool.sh", false);
    }

    @Test
    void aHeredocRunWritesItsBody() {
        Result up = jcompose("up", "--build", "heredoc");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("first").contains("second");
    }

    @Test
    void theImageRunsUnderDockerdAndMatchesTheConfigDockerdBuildsFromTheSameDockerfile() throws Exception {
        Path docker = Path.of("/usr/bin/docker");
        Assumptions.assumeTrue(Files.isExecutable(docker), "no docker CLI at /usr/bin/docker (bench/lib/install-peers)");
        Result push = jcompose("build", "--push", "oracle");
        assertThat(push.code()).as(push.err()).isZero();
        String ref = BuildProject.oracleRepository(project.pushRepository()) + ":1";
        String dockerTag = project.name() + "-dockerd-runtime";
        {
            String host = RefDockerd.host();
            EngineClient dockerd = RefDockerd.client();
            try {
                assertThat(ComposeRun.run(docker.toString(), "-H", host, "pull", ref)).contains("Downloaded newer image");
                assertThat(ComposeRun.run(docker.toString(), "-H", host, "run", "--rm", "--network", "none", ref))
                        .contains("uid=1000 dir=/work greeting=hi-env");
                ProcessBuilder build = new ProcessBuilder(docker.toString(), "-H", host, "build", "-q", "--build-arg", "GREETING=hi",
                        "--build-arg", "SUFFIX=-env", "-t", dockerTag, project.dir().resolve("runtime").toString()).redirectErrorStream(true);
                build.environment().put("DOCKER_BUILDKIT", "0");
                Process p = build.start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor()).as(out).isZero();

                ContainerConfig ours = engine().inspectImage(ref).config();
                ContainerConfig theirs = dockerd.inspectImage(dockerTag).config();
                assertThat(ours.env()).isEqualTo(theirs.env());
                assertThat(ours.cmd()).isEqualTo(theirs.cmd());
                assertThat(ours.entrypoint()).isEqualTo(theirs.entrypoint());
                assertThat(ours.workingDir()).isEqualTo(theirs.workingDir());
                assertThat(ours.user()).isEqualTo(theirs.user());
                assertThat(ours.exposedPorts()).isEqualTo(theirs.exposedPorts());
                assertThat(ours.volumes()).isEqualTo(theirs.volumes());
                assertThat(ours.stopSignal()).isEqualTo(theirs.stopSignal());
                // jcomposed's image inspect writes unset durations/retries as 0 where dockerd leaves them
                // out (Go's omitempty): the same meaning, so compared with 0 = absent
                assertThat(omitZeros(ours.healthcheck())).isEqualTo(omitZeros(theirs.healthcheck()));
                // jcomposed's own GET /images/{name}/history shows our image as dockerd shows it after the pull
                assertThat(historyLines(docker, "unix://" + run.socket(), ref)).as("docker history on jcomposed (left) vs on dockerd")
                        .isEqualTo(historyLines(docker, host, ref)).hasSizeGreaterThan(10);
                // history as dockerd shows both images: one entry per instruction, a layer of the same size where dockerd makes one
                assertThat(history(docker, host, ref)).as("history of ours (left) vs dockerd's").isEqualTo(history(docker, host, dockerTag));
                Map<String, String> ourLabels = new TreeMap<>(ours.labels());
                assertThat(ourLabels.remove("com.docker.compose.image.builder")).isEqualTo("classic"); // compose's, not the Dockerfile's
                assertThat(ourLabels).isEqualTo(new TreeMap<>(theirs.labels()));
            } finally {
                for (String image : List.of(ref, dockerTag)) {
                    try {
                        dockerd.removeImage(image, true);
                    } catch (EngineApiException e) {
                        // not there
                    }
                }
            }
        }
    }
}
