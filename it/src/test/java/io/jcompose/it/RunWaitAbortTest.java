package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run}, {@code create}/{@code start}/{@code wait}, attached {@code up} with
 * {@code --abort-on-container-exit}/{@code --exit-code-from}, and the project lock, on a real
 * jcomposed with busybox from the fixture registry.
 */
@Tag("root")
@Tag("registry")
class RunWaitAbortTest {
    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    private EngineClient start(String name, String yaml) throws IOException {
        Path composeFile = compose.project(name, yaml);
        run = compose.prepare(composeFile);
        return new EngineClient(new DockerHost.Unix(run.socket()));
    }

    private static List<ContainerSummary> oneOffs(EngineClient api) {
        return api.listContainers(true, new Filters(Map.of("label", Set.of("com.docker.compose.oneoff=True"))));
    }

    private static Set<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void runStartsDependenciesPropagatesTheExitCodeLabelsOneOffsAndRmLeavesNothing() throws Exception {
        EngineClient api = start("oneoff", """
                services:
                  db:
                    image: busybox:latest
                    command: ["sleep", "300"]
                  web:
                    image: busybox:latest
                    command: ["sleep", "300"]
                    depends_on: [db]
                    volumes: ["/scratch"]
                """);
        Path root = compose.dir().resolve("root");

        ComposeRun.Result rm = run.jcompose("run", "--rm", "-T", "web", "sh", "-c", "echo made > /scratch/f; echo out; echo err >&2; exit 3");
        assertThat(rm.code()).as(rm.err()).isEqualTo(3);
        assertThat(rm.out()).isEqualTo("out\n");
        assertThat(rm.err()).endsWith("err\n");
        // the dependency was started as compose does, the service itself not
        assertThat(api.inspectContainer("oneoff-db-1").state().running()).isTrue();
        assertThat(api.listContainers(true, Filters.NONE)).extracting(ContainerSummary::names)
                .noneMatch(n -> n.getFirst().contains("oneoff-web-1"));
        // --rm: nothing left, from the engine's view and on the host (container dirs, anonymous volume, mounts)
        assertThat(oneOffs(api)).isEmpty();
        assertThat(api.listVolumes(Filters.NONE)).isEmpty();
        Set<String> containerDirs = entries(root.resolve("containers"));
        assertThat(containerDirs).hasSize(1).allMatch(id -> id.equals(api.inspectContainer("oneoff-db-1").id()));
        assertThat(entries(root.resolve("volumes"))).noneMatch(v -> v.matches("[0-9a-f]{64}"));
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts.lines().filter(l -> l.contains(root.toString())).filter(l -> l.contains("/volumes/")).toList()).isEmpty();

        ComposeRun.Result overrides = run.jcompose("run", "--rm", "-T", "--no-deps", "-e", "A=1", "-u", "nobody", "-w", "/tmp",
                "--entrypoint", "sh -c", "web", "echo $A $(pwd) $(id -un)");
        assertThat(overrides.code()).as(overrides.err()).isZero();
        assertThat(overrides.out()).isEqualTo("1 /tmp nobody\n");

        ComposeRun.Result kept = run.jcompose("run", "-T", "-l", "extra=yes", "web", "true");
        assertThat(kept.code()).as(kept.err()).isZero();
        List<ContainerSummary> left = oneOffs(api);
        assertThat(left).hasSize(1);
        ContainerInspect c = api.inspectContainer(left.getFirst().id());
        Map<String, String> labels = c.config().labels();
        String slug = labels.get("com.docker.compose.slug");
        assertThat(slug).matches("[0-9a-f]{64}");
        assertThat(c.name()).isEqualTo("/oneoff-web-run-" + slug.substring(0, 12));
        assertThat(labels).containsEntry("com.docker.compose.oneoff", "True").containsEntry("com.docker.compose.service", "web")
                .containsEntry("com.docker.compose.project", "oneoff").containsEntry("extra", "yes")
                .doesNotContainKey("com.docker.compose.container-number");
        assertThat(c.hostConfig().autoRemove()).isNotEqualTo(Boolean.TRUE);

        ComposeRun.Result detached = run.jcompose("run", "-d", "--name", "named-oneoff", "web", "sleep", "300");
        assertThat(detached.code()).as(detached.err()).isZero();
        assertThat(detached.out().strip()).matches("[0-9a-f]{64}").isEqualTo(api.inspectContainer("named-oneoff").id());
        assertThat(api.inspectContainer("named-oneoff").state().running()).isTrue();

        // as compose: down leaves one-off containers unless --remove-orphans
        assertThat(run.jcompose("down", "-t", "1").code()).isZero();
        assertThat(oneOffs(api)).hasSize(2);
        assertThat(run.jcompose("down", "--remove-orphans", "-t", "1").code()).isZero();
        assertThat(api.listContainers(true, Filters.NONE)).isEmpty();
    }

    @Test
    void abortOnContainerExitAndExitCodeFromGiveComposesExitCodes() throws Exception {
        EngineClient api = start("abort", """
                services:
                  failing:
                    image: busybox:latest
                    command: ["sh", "-c", "sleep 1; echo bye; exit 3"]
                  sleeper:
                    image: busybox:latest
                    command: ["sleep", "300"]
                """);
        ComposeRun.Result abort = run.jcompose("up", "--abort-on-container-exit", "-t", "1");
        assertThat(abort.code()).as(abort.err()).isEqualTo(3);
        assertThat(abort.out()).startsWith("Attaching to failing-1, sleeper-1\n").contains("failing-1  | bye\n", "failing-1 exited with code 3\n");
        assertThat(abort.err()).contains("Aborting on container exit...");
        assertThat(api.inspectContainer("abort-sleeper-1").state().running()).isFalse();

        ComposeRun.Result fromSleeper = run.jcompose("up", "--exit-code-from", "sleeper", "-t", "1");
        // the sleeper was stopped by the abort: busybox sleep as PID 1 ignores SIGTERM, so SIGKILL after 1 s
        assertThat(fromSleeper.code()).as(fromSleeper.err()).isIn(137, 143);

        ComposeRun.Result fromFailing = run.jcompose("up", "--exit-code-from", "failing", "-t", "1");
        assertThat(fromFailing.code()).as(fromFailing.err()).isEqualTo(3);
        assertThat(run.jcompose("up", "--exit-code-from", "nope")).isEqualTo(new ComposeRun.Result(1, "", "no such service: nope: not found\n"));
    }

    @Test
    void createThenStartThenWaitAndDownProject() throws Exception {
        EngineClient api = start("cw", """
                services:
                  job:
                    image: busybox:latest
                    command: ["sh", "-c", "sleep 2; exit 5"]
                """);
        ComposeRun.Result create = run.jcompose("create");
        assertThat(create.code()).as(create.err()).isZero();
        ContainerInspect created = api.inspectContainer("cw-job-1");
        assertThat(created.state().status()).isEqualTo("created");

        assertThat(run.jcompose("start").code()).isZero();
        assertThat(api.inspectContainer("cw-job-1").state().running()).isTrue();
        ComposeRun.Result wait = run.jcompose("wait", "job");
        assertThat(wait.code()).as(wait.err()).isEqualTo(5);
        assertThat(wait.out()).isEqualTo("container \"" + created.id() + "\" exited with status code 5\n");
        assertThat(run.jcompose("wait", "job").err().strip()).isEqualTo("no containers for project \"cw\"");

        assertThat(run.jcompose("start").code()).isZero();
        ComposeRun.Result down = run.jcompose("wait", "--down-project", "job");
        assertThat(down.code()).as(down.err()).isEqualTo(5);
        assertThat(api.listContainers(true, Filters.NONE)).isEmpty();
    }

    @Test
    void twoConcurrentUpsOfOneProjectAreSerialisedAndConverge() throws Exception {
        EngineClient api = start("locked", """
                services:
                  a: {image: "busybox:latest", command: ["sleep", "300"]}
                  b: {image: "busybox:latest", command: ["sleep", "300"], depends_on: [a]}
                """);
        CompletableFuture<ComposeRun.Result> first = CompletableFuture.supplyAsync(() -> run.jcompose("up", "-d"));
        CompletableFuture<ComposeRun.Result> second = CompletableFuture.supplyAsync(() -> run.jcompose("up", "-d"));
        ComposeRun.Result r1 = first.get();
        ComposeRun.Result r2 = second.get();
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(api.listContainers(true, Filters.NONE)).extracting(c -> c.names().getFirst())
                .containsExactlyInAnyOrder("/locked-a-1", "/locked-b-1");
        assertThat(Files.list(compose.dir().resolve("locks")).toList()).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).startsWith("locked-"));
    }
}
