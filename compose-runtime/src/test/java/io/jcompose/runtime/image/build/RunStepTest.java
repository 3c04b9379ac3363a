package io.jcompose.runtime.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.container.Busybox;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.container.LogQuery;
import io.jcompose.runtime.image.Image;
import io.jcompose.runtime.image.ImageService;
import io.jcompose.runtime.image.build.BuildReport.StepReport;
import io.jcompose.runtime.image.build.cache.CacheIndex;
import io.jcompose.runtime.image.build.context.DockerfileSource;
import io.jcompose.runtime.image.build.executor.ContainerStepRunner;
import io.jcompose.runtime.image.build.executor.StepFailedException;
import io.jcompose.runtime.image.build.executor.StepNetwork;
import io.jcompose.runtime.image.manifest.ImageConfig;
import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.support.FixtureRegistryUp;
import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN steps in containers of our own runtime, on the fixture images: files made by one RUN are
 * seen by the next and end up in the image, a failing RUN has Docker's message and leaves
 * nothing behind, the cache hits and misses where Docker's does, stages build with COPY --from.
 */
@Tag("root")
@Tag("registry")
class RunStepTest {
  private static final String REGISTRY = "127.0.0.1:5000";

  @TempDir Path dataRoot;
  @TempDir Path ctx;
  Path runRoot;
  ImageService images;
  ContainerEngine containers;
  ImageBuilder builder;
  /** Build container ids the listener saw: every one must be gone afterwards. */
  final List<String> buildContainers = Collections.synchronizedList(new ArrayList<>());
  final StringBuffer output = new StringBuffer();

  @BeforeEach
  void setUp() throws Exception {
    Root.assume();
    FixtureRegistryUp.assume();
    Path shim = Busybox.shim();
    runRoot = Files.createDirectory(Path.of("/tmp/jcb-" + Long.toHexString(System.nanoTime() & 0xffffffL)));
    images = new ImageService(dataRoot, RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS)
        .withMirrors(List.of(URI.create("http://" + REGISTRY)))
        .withDockerHubEndpoint(URI.create("http://127.0.0.1:1"))
        .withRetries(2, Duration.ofMillis(10)));
    containers = new ContainerEngine(dataRoot, runRoot, shim);
    ContainerStepRunner runner = new ContainerStepRunner(
        new ContainerEngine(dataRoot.resolve("builder"), runRoot, shim), dataRoot.resolve("builder/run"),
        StepNetwork.isolated());
    builder = new ImageBuilder(images, new CacheIndex(dataRoot), dataRoot.resolve("builder/tmp"), runner);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (containers != null) {
      for (String id : containers.list()) {
        containers.remove(id, true);
      }
    }
    if (images != null) {
      images.close();
    }
    if (runRoot != null) {
      Busybox.delete(runRoot);
    }
    assertNoLeftovers();
  }

  private BuildReport build(String dockerfile, Map<String, String> args, String target) throws IOException {
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    BuildRequest req = new BuildRequest(ctx, DockerfileSource.resolve(ctx, null, null), args, target,
        "jcompose-test/run:latest", false, false, null);
    return builder.build(req, new BuildListener() {
      @Override
      public void running(String stage, String containerId) {
        buildContainers.add(containerId);
      }

      @Override
      public void output(String stage, String text, boolean stderr) {
        output.append(text);
      }
    });
  }

  /** Runs {@code cmd} in a container of the built image, with the image's env, user and workdir; its output. */
  private String runImage(Image image, String... cmd) throws IOException {
    ImageConfig c = images.config(image);
    ContainerSpec spec = ContainerSpec.builder(images.lowerDirs(image))
        .image(new ContainerSpec.ImageConfig(c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user(), null))
        .command(cmd.length == 0 ? null : List.of(cmd))
        .network(new ContainerSpec.NamespaceMode.None())
        .build();
    String id = containers.create(spec);
    containers.start(id);
    containers.waitExit(id);
    StringBuilder out = new StringBuilder();
    containers.logs(id, LogQuery.ALL, r -> {
      out.append(r.line());
      return true;
    });
    containers.remove(id, true);
    return out.toString();
  }

  @Test
  void runMakesFilesTheNextStepAndTheImageSee() throws IOException {
    BuildReport r = build("""
        FROM busybox
        RUN echo one > /a && mkdir -p /d && echo gone > /d/f && echo to-stdout
        RUN cat /a > /b && rm /d/f && echo "$(cat /b)-seen"
        CMD ["sh", "-c", "cat /a /b; ls -A /d; hostname"]
        """, Map.of(), null);
    assertThat(r.steps()).extracting(StepReport::cached).containsOnly(false);
    assertThat(output.toString()).contains("to-stdout\n", "one-seen\n");
    // /d/f is gone (ls prints nothing), the hostname is the container's own
    assertThat(runImage(r.image()).lines().toList()).hasSize(3).startsWith("one", "one");
    ImageConfig config = images.config(r.image());
    assertThat(config.history().reversed().get(1).createdBy())
        .isEqualTo("RUN /bin/sh -c cat /a > /b && rm /d/f && echo \"$(cat /b)-seen\" # buildkit");
    // the runtime's mount points (/etc/hosts, /proc, ...) are not part of the layers
    for (Path layer : images.lowerDirs(r.image()).subList(0, 2)) {
      assertThat(layer.resolve("etc")).doesNotExist();
      assertThat(layer.resolve("proc")).doesNotExist();
    }
    assertThat(buildContainers).hasSize(2);
  }

  @Test
  void failingRunHasDockersMessageAndLeavesNothingBehind() throws IOException {
    assertThatThrownBy(() -> build("FROM busybox\nRUN echo before\nRUN false\n", Map.of(), null))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("The command '/bin/sh -c false' returned a non-zero code: 1");
    assertThatThrownBy(() -> build("FROM busybox\nRUN [\"sh\", \"-c\", \"exit 3\"]\n", Map.of(), null))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("The command 'sh -c exit 3' returned a non-zero code: 3")
        .satisfies(e -> assertThat(((StepFailedException) e).exitCode()).isEqualTo(3));
    assertThat(buildContainers).hasSize(3);
    assertNoLeftovers();
  }

  @Test
  void pythonAppReusesTheInstallStepWhenOnlySourcesChange() throws IOException {
    Files.writeString(ctx.resolve("requirements.txt"), "flask==3.0\n");
    Files.writeString(ctx.resolve("app.py"), "print('v1')\n");
    String dockerfile = """
        FROM python:3.11-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); socket.create_connection(s.getsockname()); open('deps.txt','w').write(open('requirements.txt').read().upper())"
        COPY . .
        CMD ["python", "app.py"]
        """;
    BuildReport first = build(dockerfile, Map.of(), null);
    assertThat(first.cacheHits()).isZero();
    assertThat(runImage(first.image(), "sh", "-c", "cat deps.txt; python app.py")).isEqualTo("FLASK==3.0\nv1\n");

    Files.writeString(ctx.resolve("app.py"), "print('v2')\n");
    BuildReport source = build(dockerfile, Map.of(), null);
    assertThat(source.steps()).extracting(StepReport::cached).containsExactly(true, true, true, false, false);
    assertThat(runImage(source.image(), "python", "app.py")).isEqualTo("v2\n");

    Files.writeString(ctx.resolve("requirements.txt"), "flask==3.1\n");
    BuildReport deps = build(dockerfile, Map.of(), null);
    assertThat(deps.steps()).extracting(StepReport::cached).containsExactly(true, false, false, false, false);
    assertThat(runImage(deps.image(), "cat", "deps.txt")).isEqualTo("FLASK==3.1\n");
    assertThat(buildContainers).hasSize(2);
  }

  @Test
  void multiStageCopiesFromABuilderStageAndSkipsUnusedOnes() throws IOException {
    List<String> runningStages = Collections.synchronizedList(new ArrayList<>());
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM debian:bookworm-slim AS builder
        RUN echo built-by-debian > /artifact && grep -c bookworm /etc/os-release > /count
        FROM busybox AS tools
        RUN echo tool > /tool
        FROM busybox AS unused
        RUN false
        FROM busybox AS final
        COPY --from=builder /artifact /count /out/
        COPY --from=tools /tool /out/
        RUN cat /out/artifact /out/tool > /out/copy
        CMD ["cat", "/out/copy", "/out/count"]
        FROM busybox AS other
        RUN false
        """);
    BuildReport r = builder.build(new BuildRequest(ctx, DockerfileSource.resolve(ctx, null, null), Map.of(), "final",
        null, false, false, null), new BuildListener() {
          @Override
          public void running(String stage, String containerId) {
            buildContainers.add(containerId);
            runningStages.add(stage + (Thread.currentThread().isVirtual() ? "@parallel" : ""));
          }
        });
    // builder and tools are one wave: their RUNs ran side by side on virtual threads
    assertThat(runningStages).containsExactlyInAnyOrder("builder@parallel", "tools@parallel", "final");
    assertThat(r.steps()).extracting(StepReport::stage).containsExactly("builder", "tools", "final", "final", "final", "final");
    assertThat(runImage(r.image()).lines().toList()).hasSize(3).startsWith("built-by-debian", "tool");
  }

  @Test
  void userWorkdirEnvAndBuildArgsReachRunAndTheContainer() throws IOException {
    BuildReport r = build("""
        FROM busybox
        ARG FLAVOUR=plain
        ARG UNSET
        RUN echo 'app:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd && mkdir -p /home/app && chown 1234 /home/app
        ENV GREETING=hello
        USER app
        WORKDIR /home/app
        RUN echo "$(id -u) $(pwd) $GREETING $FLAVOUR $(hostname)" > made-by-run
        CMD ["sh", "-c", "cat made-by-run; id -u; pwd; echo $GREETING; echo ${FLAVOUR:-no-arg-at-runtime}"]
        """, Map.of("FLAVOUR", "spicy"), null);
    assertThat(runImage(r.image())).isEqualTo("""
        1234 /home/app hello spicy buildkitsandbox
        1234
        /home/app
        hello
        no-arg-at-runtime
        """);
    assertThat(r.unusedBuildArgs()).isEmpty();
  }

  @Test
  void anIsolatedStepNetworkIsLoopbackOnlyUnlessTheStepAsksForTheHosts() throws IOException {
    BuildReport r = build("""
        FROM busybox
        RUN cut -d: -f1 /proc/net/dev | tail -n +3 | tr -d ' ' > /own
        RUN --network=host cut -d: -f1 /proc/net/dev | tail -n +3 | tr -d ' ' > /host
        CMD ["cat", "/own"]
        """, Map.of(), null);
    assertThat(runImage(r.image())).isEqualTo("lo\n");
    assertThat(runImage(r.image(), "cat", "/host").lines().toList()).contains("lo").hasSizeGreaterThan(1);
    assertThatThrownBy(() -> build("FROM busybox\nRUN --network=bridge0 true\n", Map.of(), null))
        .isInstanceOf(io.jcompose.runtime.image.build.dockerfile.DockerfileException.class)
        .hasMessage("Dockerfile:2: network mode \"bridge0\" is not supported for builds (use default, none or host)");
  }

  @Test
  void heredocRunRunsItsBodyAsAScriptAndShellIsHonoured() throws IOException {
    BuildReport r = build("""
        FROM busybox
        RUN <<EOF
        echo first > /h
        echo second >> /h
        EOF
        RUN cat <<EOT > /g
        from a heredoc
        EOT
        SHELL ["/bin/sh", "-xc"]
        RUN echo traced > /t
        CMD ["cat", "/h", "/g", "/t"]
        """, Map.of(), null);
    assertThat(runImage(r.image())).isEqualTo("first\nsecond\nfrom a heredoc\ntraced\n");
    // SHELL is honoured: sh -x traces the command on stderr
    assertThat(output.toString()).contains("+ echo traced");
  }

  @Test
  void sweepRemovesBuildContainersAKilledDaemonLeft() throws IOException {
    ContainerEngine builds = new ContainerEngine(dataRoot.resolve("builder"), runRoot, Busybox.shim());
    String left = builds.create(ContainerSpec.of(images.lowerDirs(images.pull("busybox", null,
        io.jcompose.runtime.image.PullProgressListener.NONE)), List.of("true")));
    buildContainers.add(left);
    assertThat(builds.list()).containsExactly(left);
    new ContainerStepRunner(builds, dataRoot.resolve("builder/run"), StepNetwork.isolated()).sweep();
    assertThat(builds.list()).isEmpty();
  }

  private static List<Path> cgroupParents() throws IOException {
    List<Path> out = new java.util.ArrayList<>();
    try (Stream<Path> top = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : top.toList()) {
        if (h.getFileName().toString().startsWith("jcompose")) out.add(h);
        try (Stream<Path> s = Files.list(h)) {
          s.filter(p -> p.getFileName().toString().startsWith("jcompose")).forEach(out::add);
        } catch (IOException | java.io.UncheckedIOException goneOrNotADirectory) {
          // removed meanwhile, or a file
        }
      }
    }
    return out;
  }

  /** No build container's mount, netns, cgroup or process is left on the host. */
  private void assertNoLeftovers() throws IOException {
    String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
    assertThat(mountinfo).doesNotContain(dataRoot.toString());
    for (String id : List.copyOf(buildContainers)) {
      assertThat(mountinfo).doesNotContain(id);
      assertThat(Path.of("/run/netns/jc-" + id)).doesNotExist();
      // every engine's parent (v2: /sys/fs/cgroup/jcompose-*, v1: <hierarchy>/jcompose-*); other engines
      // on this host add and remove theirs meanwhile, so a listing that vanishes is skipped, not an error
      for (Path parent : cgroupParents()) assertThat(parent.resolve(id)).doesNotExist();
      try (Stream<ProcessHandle> ps = ProcessHandle.allProcesses()) {
        assertThat(ps.map(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse(""))
            .filter(a -> a.contains(id))).isEmpty();
      }
    }
  }
}
