package io.jcompose.runtime.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.Image;
import io.jcompose.runtime.image.ImageService;
import io.jcompose.runtime.image.PullProgressListener;
import io.jcompose.runtime.image.build.cache.CacheIndex;
import io.jcompose.runtime.image.build.context.DockerfileSource;
import io.jcompose.runtime.image.manifest.ImageConfig;
import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.testsupport.RegistryServer;
import io.jcompose.runtime.image.support.Root;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds real images into a real image store (snapshots are unpacked, so it needs root). */
@Tag("root")
class ImageBuilderTest {
  private static final String REGISTRY = "127.0.0.1:5000";

  @TempDir Path dataRoot;
  @TempDir Path ctx;

  private static RegistryConfig mirrorConfig() {
    return RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS)
        .withMirrors(List.of(URI.create("http://" + REGISTRY)))
        .withDockerHubEndpoint(URI.create("http://127.0.0.1:1"))
        .withRetries(2, Duration.ofMillis(10));
  }

  private BuildReport build(ImageService images, String dockerfile, Map<String, String> args, boolean noCache)
      throws IOException {
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    ImageBuilder builder = new ImageBuilder(images, new CacheIndex(dataRoot), dataRoot.resolve("builder/tmp"));
    BuildRequest req = new BuildRequest(ctx, DockerfileSource.resolve(ctx, null, null), args, null,
        "jcompose-test/app:latest", noCache, false, null);
    return builder.build(req, r -> {});
  }

  @Test
  void scratchImageWithCacheThatSurvivesRestarts() throws IOException {
    Root.assume();
    Files.writeString(ctx.resolve("requirements.txt"), "flask\n");
    Files.createDirectories(ctx.resolve("src"));
    Files.writeString(ctx.resolve("src/app.py"), "print('v1')\n");
    Files.writeString(ctx.resolve(".dockerignore"), "*.secret\n");
    Files.writeString(ctx.resolve("token.secret"), "s3cr3t\n");
    String dockerfile = """
        FROM scratch
        ARG VERSION=1
        ENV APP=/app
        WORKDIR $APP
        COPY requirements.txt .
        COPY . .
        LABEL version=$VERSION
        USER 1000:1000
        EXPOSE 8000
        CMD ["python", "src/app.py"]
        """;
    Image first;
    try (ImageService images = new ImageService(dataRoot, RegistryConfig.defaults())) {
      BuildReport r = build(images, dockerfile, Map.of(), false);
      first = r.image();
      assertThat(r.cacheHits()).isZero();
      assertThat(r.steps()).hasSize(9);
      assertThat(images.find("jcompose-test/app:latest")).map(Image::id).contains(first.id());
      ImageConfig config = images.config(first);
      assertThat(config.env()).contains("APP=/app");
      assertThat(config.workingDir()).isEqualTo("/app");
      assertThat(config.user()).isEqualTo("1000:1000");
      assertThat(config.exposedPorts()).containsExactly("8000/tcp");
      assertThat(config.cmd()).containsExactly("python", "src/app.py");
      assertThat(config.labels()).containsEntry("version", "1");
      assertThat(config.diffIds()).hasSize(3);
      assertThat(config.history()).hasSize(9);
      assertThat(config.history().get(3).createdBy()).isEqualTo("COPY requirements.txt . # buildkit");
      assertThat(config.history().get(3).emptyLayer()).isFalse();
      assertThat(config.history().get(1).createdBy()).isEqualTo("ENV APP=/app");
      assertThat(config.history().get(1).emptyLayer()).isTrue();
      // the layers are real snapshots: the files are there, the ignored one is not
      List<Path> lower = images.lowerDirs(first);
      assertThat(lower.getFirst().resolve("app/src/app.py")).hasContent("print('v1')");
      assertThat(lower.getFirst().resolve("app/token.secret")).doesNotExist();
      assertThat(lower.get(1).resolve("app/requirements.txt")).hasContent("flask");
    }

    // a new service and cache index over the same data root: an engine restart
    try (ImageService images = new ImageService(dataRoot, RegistryConfig.defaults())) {
      BuildReport again = build(images, dockerfile, Map.of(), false);
      assertThat(again.cacheHits()).isEqualTo(9);
      assertThat(again.image().id()).as("a fully cached rebuild gives the same image").isEqualTo(first.id());
      assertThat(images.find("jcompose-test/app:latest")).map(Image::id).contains(first.id());

      // new mtimes, same content: the keys are content checksums, so everything still hits
      try (var files = Files.walk(ctx)) {
        java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(3600));
        for (Path p : files.toList()) {
          Files.setLastModifiedTime(p, later);
        }
      }
      BuildReport touched = build(images, dockerfile, Map.of(), false);
      assertThat(touched.cacheHits()).as("only mtimes changed").isEqualTo(9);
      assertThat(touched.image().id()).isEqualTo(first.id());

      Files.writeString(ctx.resolve("src/app.py"), "print('v2')\n");
      Files.writeString(ctx.resolve("token.secret"), "changed, but ignored\n");
      BuildReport changed = build(images, dockerfile, Map.of(), false);
      List<Boolean> hits = changed.steps().stream().map(BuildReport.StepReport::cached).toList();
      // ARG ENV WORKDIR COPY-requirements hit; COPY . and everything after misses
      assertThat(hits).containsExactly(true, true, true, true, false, false, false, false, false);
      assertThat(images.lowerDirs(changed.image()).getFirst().resolve("app/src/app.py")).hasContent("print('v2')");
      assertThat(images.find("jcompose-test/app:latest")).map(Image::id).contains(changed.image().id());
      // back to v1: every step hits again and the tag returns to the first image (its record changes, so it is written)
      Files.writeString(ctx.resolve("src/app.py"), "print('v1')\n");
      assertThat(build(images, dockerfile, Map.of(), false).image().id()).isEqualTo(first.id());
      assertThat(images.find("jcompose-test/app:latest")).map(Image::id).contains(first.id());
      Files.writeString(ctx.resolve("src/app.py"), "print('v2')\n");

      BuildReport arg = build(images, dockerfile, Map.of("VERSION", "2"), false);
      assertThat(images.config(arg.image()).labels()).containsEntry("version", "2");
      assertThat(arg.steps().getFirst().cached()).as("ARG value changed").isFalse();

      BuildReport noCache = build(images, dockerfile, Map.of(), true);
      assertThat(noCache.cacheHits()).isZero();
      assertThat(build(images, dockerfile, Map.of("NOPE", "x"), false).unusedBuildArgs()).containsExactly("NOPE");
    }
  }

  @Test
  void multiStageCopiesFromANeededStageAndSkipsUnusedOnes() throws IOException {
    Root.assume();
    Files.createDirectories(ctx.resolve("src"));
    Files.writeString(ctx.resolve("src/lib.txt"), "lib v1\n");
    String dockerfile = """
        FROM scratch AS deps
        COPY src /opt/src
        FROM scratch AS broken
        COPY does-not-exist /x
        FROM scratch
        COPY --from=deps /opt/src/lib.txt /lib.txt
        COPY --from=0 /opt/src /all/
        """;
    try (ImageService images = new ImageService(dataRoot, RegistryConfig.defaults())) {
      BuildReport r = build(images, dockerfile, Map.of(), false);
      assertThat(r.steps()).extracting(BuildReport.StepReport::stage).containsExactly("deps", "stage-2", "stage-2");
      List<Path> lower = images.lowerDirs(r.image());
      assertThat(images.config(r.image()).diffIds()).hasSize(2);
      assertThat(lower.get(1).resolve("lib.txt")).hasContent("lib v1");
      assertThat(lower.get(0).resolve("all/lib.txt")).hasContent("lib v1");
      assertThat(build(images, dockerfile, Map.of(), false).cacheHits()).isEqualTo(3);
      Files.writeString(ctx.resolve("src/lib.txt"), "lib v2\n");
      BuildReport changed = build(images, dockerfile, Map.of(), false);
      assertThat(changed.cacheHits()).isZero();
      assertThat(images.lowerDirs(changed.image()).get(1).resolve("lib.txt")).hasContent("lib v2");
      assertThatThrownBy(() -> build(images, "FROM scratch AS a\nCOPY src /s\nFROM scratch\nCOPY --from=a /nope /x\n", Map.of(), false))
          .hasMessage("Dockerfile:4: \"/nope\": not found in stage a");
    }
  }

  @Test
  void namedContextsServeCopyFromAndFrom(@TempDir Path extra) throws IOException {
    Root.assume();
    Files.createDirectories(extra.resolve("conf"));
    Files.writeString(extra.resolve("conf/app.conf"), "mode=extra\n");
    Files.writeString(extra.resolve("tool.txt"), "tool v1\n");
    Files.writeString(ctx.resolve("main.txt"), "main\n");
    String dockerfile = """
        FROM extra AS fromcontext
        COPY main.txt /main.txt
        FROM scratch
        COPY --from=extra /conf/app.conf /etc/app.conf
        COPY --from=fromcontext /tool.txt /main.txt /opt/
        """;
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    try (ImageService images = new ImageService(dataRoot, RegistryConfig.defaults())) {
      ImageBuilder builder = new ImageBuilder(images, new CacheIndex(dataRoot), dataRoot.resolve("builder/tmp"));
      java.util.function.Supplier<BuildRequest> req = () -> new BuildRequest(ctx, DockerfileSource.resolve(ctx, null, null), Map.of(),
          null, "jcompose-test/named:latest", false, false, null, Map.of(), null, Map.of("extra", extra), null);
      BuildReport r = builder.build(req.get(), s -> {});
      List<Path> lower = images.lowerDirs(r.image());
      assertThat(lower.get(1).resolve("etc/app.conf")).hasContent("mode=extra");
      assertThat(lower.get(0).resolve("opt/tool.txt")).hasContent("tool v1");
      assertThat(lower.get(0).resolve("opt/main.txt")).hasContent("main");
      assertThat(builder.build(req.get(), s -> {}).cacheHits()).isEqualTo(3);

      // a change in the named context misses the steps that read it, and only those
      Files.writeString(extra.resolve("tool.txt"), "tool v2\n");
      BuildReport changed = builder.build(req.get(), s -> {});
      assertThat(changed.steps()).extracting(BuildReport.StepReport::cached).containsExactly(false, true, false);
      assertThat(images.lowerDirs(changed.image()).get(0).resolve("opt/tool.txt")).hasContent("tool v2");
    }
  }

  /**
   * Stages a and b need nothing of each other: each one's COPY, once begun, waits until the other
   * stage's COPY has begun too. Built one after the other, the first would wait in vain (and the
   * test fail on the timeout); built side by side, both steps are under way at the same moment.
   */
  @Test
  void independentStagesBuildInParallelAndReportInStageOrder() throws Exception {
    Root.assume();
    Files.writeString(ctx.resolve("a.txt"), "a\n");
    Files.writeString(ctx.resolve("b.txt"), "b\n");
    String dockerfile = """
        FROM scratch AS a
        COPY a.txt /a.txt
        FROM scratch AS b
        COPY b.txt /b.txt
        FROM scratch
        COPY --from=a /a.txt /
        COPY --from=b /b.txt /
        """;
    Map<String, java.util.concurrent.CountDownLatch> copyBegun = Map.of(
        "a", new java.util.concurrent.CountDownLatch(1), "b", new java.util.concurrent.CountDownLatch(1));
    Map<String, Boolean> sawTheOtherUnderWay = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    BuildListener listener = new BuildListener() {
      @Override
      public void stepStarted(String stage, int number, int total, String instruction) {
        events.add("start " + stage + " " + instruction);
        if (copyBegun.containsKey(stage) && instruction.startsWith("COPY")) {
          copyBegun.get(stage).countDown();
          String other = stage.equals("a") ? "b" : "a";
          try {
            sawTheOtherUnderWay.put(stage, copyBegun.get(other).await(60, java.util.concurrent.TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void stepFinished(BuildReport.StepReport report, String resultId) {
        events.add("end " + report.stage() + " " + report.createdBy());
      }
    };
    try (ImageService images = new ImageService(dataRoot, RegistryConfig.defaults())) {
      Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
      BuildReport r = new ImageBuilder(images, new CacheIndex(dataRoot), dataRoot.resolve("builder/tmp"))
          .build(new BuildRequest(ctx, DockerfileSource.resolve(ctx, null, null), Map.of(), null, "t:1", false, false, null), listener);
      assertThat(sawTheOtherUnderWay).as("each stage's COPY saw the other's begin while it ran: %s", events)
          .containsEntry("a", true).containsEntry("b", true);
      // the final stage starts only after both of its dependencies ended
      int finalStart = events.indexOf("start stage-2 FROM scratch");
      assertThat(events.subList(0, finalStart)).contains("end a COPY a.txt /a.txt # buildkit", "end b COPY b.txt /b.txt # buildkit");
      assertThat(r.steps()).extracting(BuildReport.StepReport::stage).containsExactly("a", "b", "stage-2", "stage-2");
      List<Path> lower = images.lowerDirs(r.image());
      assertThat(lower.get(0).resolve("b.txt")).hasContent("b");
      assertThat(lower.get(1).resolve("a.txt")).hasContent("a");
    }
  }

  @Test
  void runIsRefusedWithItsLineForNow() throws IOException {
    Root.assume();
    try (ImageService images = new ImageService(dataRoot, RegistryConfig.defaults())) {
      assertThatThrownBy(() -> build(images, "FROM scratch\nENV A=1\nRUN echo hi\n", Map.of(), false))
          .hasMessage("Dockerfile:3: RUN is not supported here: this builder has no container engine to run build steps");
      assertThatThrownBy(() -> build(images, "FROM scratch\nCOPY missing /x\n", Map.of(), false))
          .hasMessage("Dockerfile:2: \"missing\": not found in build context or excluded by .dockerignore");
    }
  }

  @Test
  @Tag("registry")
  void buildsOnBusyboxAndPushesAnImageThatPullsBack(@TempDir Path otherRoot) throws Exception {
    Root.assume();
    io.jcompose.runtime.image.support.FixtureRegistryUp.assume();
    Files.writeString(ctx.resolve("hello.txt"), "hello from jcompose\n");
    try (ImageService images = new ImageService(dataRoot, mirrorConfig())) {
      Image base = images.pull("busybox", null, PullProgressListener.NONE);
      BuildReport r = build(images, """
          FROM busybox
          ENV GREETING=hi
          WORKDIR /etc
          COPY --chown=nobody:nogroup hello.txt /srv/
          HEALTHCHECK --interval=5s CMD ["true"]
          CMD ["cat", "/srv/hello.txt"]
          """, Map.of(), false);
      ImageConfig baseConfig = images.config(base);
      ImageConfig config = images.config(r.image());
      assertThat(config.diffIds()).hasSize(baseConfig.diffIds().size() + 1).startsWith(baseConfig.diffIds().toArray(new io.jcompose.runtime.image.reference.Digest[0]));
      assertThat(config.history()).hasSize(baseConfig.history().size() + 5);
      // busybox has /etc: WORKDIR makes no layer there
      assertThat(config.history().get(baseConfig.history().size() + 1).createdBy()).isEqualTo("WORKDIR /etc");
      assertThat(config.history().get(baseConfig.history().size() + 1).emptyLayer()).isTrue();
      assertThat(config.workingDir()).isEqualTo("/etc");
      assertThat(config.env()).contains("GREETING=hi").anyMatch(e -> e.startsWith("PATH="));
      assertThat(config.healthcheck().interval()).isEqualTo(Duration.ofSeconds(5));
      Path hello = images.lowerDirs(r.image()).getFirst().resolve("srv/hello.txt");
      assertThat(hello).hasContent("hello from jcompose");
      // busybox's /etc/passwd names nobody as 65534
      assertThat(Files.getAttribute(hello, "unix:uid")).isEqualTo(65534);

      // A registry of its own: a push to the shared fixture registry would stay there for good.
      try (RegistryServer target = RegistryServer.anonymous(Files.createDirectories(otherRoot.resolve("registry")))) {
        String pushed = target.host() + "/jcompose/build-e2e:latest";
        images.tag(r.image().id().toString(), pushed);
        images.push(pushed);
        try (ImageService fresh = new ImageService(otherRoot, RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS))) {
        Image pulled = fresh.pull(pushed, null, PullProgressListener.NONE);
        assertThat(pulled.id()).isEqualTo(r.image().id());
          assertThat(fresh.lowerDirs(pulled).getFirst().resolve("srv/hello.txt")).hasContent("hello from jcompose");
        }
      }
    }
  }

  /**
   * {@code --pull}: without it a base image present in the store is used as it is (here a local
   * stand-in tagged busybox:latest); with it the base is fetched from the registry again.
   */
  @Test
  @Tag("registry")
  void pullFetchesTheBaseImageEvenWhenOneIsPresent() throws Exception {
    Root.assume();
    io.jcompose.runtime.image.support.FixtureRegistryUp.assume();
    Files.writeString(ctx.resolve("marker.txt"), "local stand-in\n");
    try (ImageService images = new ImageService(dataRoot, mirrorConfig())) {
      Image standIn = build(images, "FROM scratch\nCOPY marker.txt /marker.txt\n", Map.of(), false).image();
      images.tag(standIn.id().toString(), "busybox:latest");
      String dockerfile = "FROM busybox\nCOPY marker.txt /copied.txt\n";

      BuildReport present = build(images, dockerfile, Map.of(), false);
      assertThat(images.lowerDirs(present.image()).getLast().resolve("marker.txt")).as("built on the stand-in").exists();

      Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
      BuildReport pulled = new ImageBuilder(images, new CacheIndex(dataRoot), dataRoot.resolve("builder/tmp"))
          .build(new BuildRequest(ctx, DockerfileSource.resolve(ctx, null, null), Map.of(), null, "jcompose-test/app:latest",
              false, true, null), s -> {});
      List<Path> lower = images.lowerDirs(pulled.image());
      assertThat(lower.getLast().resolve("marker.txt")).as("the registry's busybox, not the stand-in").doesNotExist();
      assertThat(lower.getLast().resolve("bin/busybox")).exists();
      assertThat(images.find("busybox:latest")).map(Image::id).isNotEqualTo(java.util.Optional.of(standIn.id()));
      assertThat(pulled.steps().getFirst().cached()).as("another base: the COPY runs again").isFalse();
    }
  }
}
