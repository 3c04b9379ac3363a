package io.jcompose.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.PullProgressListener.Phase;
import io.jcompose.runtime.image.manifest.ImageConfig;
import io.jcompose.runtime.image.manifest.ManifestException;
import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.registry.RegistryException;
import io.jcompose.runtime.image.support.CuttingProxy;
import io.jcompose.testsupport.RegistryServer;
import io.jcompose.runtime.image.support.Root;
import io.jcompose.runtime.image.support.TarBuilder;
import io.jcompose.runtime.image.support.TestImages;
import io.jcompose.runtime.image.support.TestImages.Pushed;
import io.jcompose.runtime.image.support.TestImages.Pusher;
import io.jcompose.runtime.image.unpack.LayerRejectedException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real docker-registry on loopback, into a temp data root. */
@Tag("registry")
@Tag("root")
class ImagePullTest {

  private static RegistryServer registry;
  private static Pusher pusher;
  private static Pushed app;
  private static Pushed ociZstd;
  private static Pushed amd64;
  private static Pushed arm64;
  private static Digest indexDigest;
  private static byte[] bigLayerTar;

  @TempDir static Path registryDir;
  @TempDir Path dataRoot;

  private static final byte[] BASE = new TarBuilder()
      .dir("etc", 0755).file("etc/os-release", "ID=test\n").file("etc/motd", "hello\n")
      .dir("var/cache", 0755).file("var/cache/old", "o").tar();
  private static final byte[] TOP = new TarBuilder()
      .file("entry.sh", "#!/bin/sh\n", 0755, 0, 0).whiteout("etc/motd").opaque("var/cache")
      .file("var/cache/new", "n").tar();

  @BeforeAll
  static void startRegistry() throws IOException {
    Root.assume();
    registry = RegistryServer.anonymous(registryDir);
    pusher = Pusher.anonymous(registry);
    TestImages.Layer base = TestImages.gzip(BASE, false);
    app = TestImages.push(pusher, "library/app", "1", "amd64", false,
        List.of(base, TestImages.gzip(TOP, false)));
    TestImages.push(pusher, "library/app", "2", "amd64", false,
        List.of(base, TestImages.gzip(new TarBuilder().file("v2", "2").tar(), false)));
    ociZstd = TestImages.push(pusher, "ns/oci", "zstd", "amd64", true,
        List.of(TestImages.zstd(BASE), TestImages.plain(new TarBuilder().file("plain", "p").tar())));
    amd64 = TestImages.push(pusher, "library/multi", null, "amd64", true,
        List.of(TestImages.gzip(new TarBuilder().file("arch", "amd64").tar(), true)));
    arm64 = TestImages.push(pusher, "library/multi", null, "arm64", true,
        List.of(TestImages.gzip(new TarBuilder().file("arch", "arm64").tar(), true)));
    indexDigest = TestImages.pushIndex(pusher, "library/multi", "latest", List.of(amd64, arm64));
    byte[] noise = new byte[2_000_000];
    new Random(7).nextBytes(noise);
    bigLayerTar = new TarBuilder().file("noise", noise, 0644, 0, 0).tar();
    TestImages.push(pusher, "library/big", "latest", "amd64", false, List.of(TestImages.gzip(bigLayerTar, false)));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void needRoot() {
    Root.assume();
  }

  private RegistryConfig config() {
    return RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS)
        .withRetries(3, Duration.ofMillis(20))
        .withDockerHubEndpoint(URI.create("http://127.0.0.1:1"));
  }

  private ImageService service() {
    return new ImageService(dataRoot, config());
  }

  @Test
  void pullsAndUnpacksADockerSchema2Image() throws IOException {
    List<PullProgressListener.Event> events = new CopyOnWriteArrayList<>();
    try (ImageService images = service()) {
      Image image = images.pull(registry.host() + "/library/app:1", null, events::add);

      assertThat(image.id()).isEqualTo(app.configDigest());
      assertThat(image.manifestDigest()).isEqualTo(app.manifestDigest());
      assertThat(image.repoTags()).containsExactly(registry.host() + "/library/app:1");
      assertThat(image.repoDigests()).containsExactly(registry.host() + "/library/app@" + app.manifestDigest());
      assertThat(Files.readAllBytes(dataRoot.resolve("image/blobs/sha256/" + app.manifestDigest().hex())))
          .isEqualTo(app.manifest());

      ImageConfig c = images.config(image);
      assertThat(c.env()).contains("ARCH=amd64");
      assertThat(c.entrypoint()).containsExactly("/entry.sh");
      assertThat(c.cmd()).containsExactly("serve", "--port=80");
      assertThat(c.workingDir()).isEqualTo("/srv");
      assertThat(c.user()).isEqualTo("1000:1000");
      assertThat(c.exposedPorts()).containsExactly("80/tcp");
      assertThat(c.volumes()).containsExactly("/data");
      assertThat(c.labels()).containsEntry("org.opencontainers.image.title", "test-amd64");
      assertThat(c.stopSignal()).isEqualTo("SIGQUIT");
      assertThat(c.healthcheck().test()).containsExactly("CMD-SHELL", "true");
      assertThat(c.healthcheck().interval()).isEqualTo(Duration.ofSeconds(5));
      assertThat(c.healthcheck().retries()).isEqualTo(3);
      assertThat(c.history()).hasSize(3).last().matches(ImageConfig.History::emptyLayer);
      assertThat(c.diffIds()).containsExactly(Digest.sha256(BASE), Digest.sha256(TOP));

      List<Path> lower = images.lowerDirs(image);
      assertThat(lower).hasSize(2);
      assertThat(lower.get(0).resolve("entry.sh")).exists(); // top layer first
      assertThat(lower.get(1).resolve("etc/os-release")).hasContent("ID=test");
      assertThat(lower.get(0).getParent().getParent()).isEqualTo(dataRoot.resolve("image/snapshots"));

      assertThat(events).extracting(PullProgressListener.Event::phase)
          .contains(Phase.PULLING_FS_LAYER, Phase.DOWNLOADING, Phase.DOWNLOAD_COMPLETE,
              Phase.EXTRACTING, Phase.PULL_COMPLETE);
      assertThat(events).filteredOn(e -> e.phase() == Phase.DOWNLOADING)
          .anyMatch(e -> e.current() == e.total() && e.total() > 0);

      assertThat(images.find(registry.host() + "/library/app:1")).contains(image);
      assertThat(images.find(image.id().toString())).contains(image);
      assertThat(images.find(image.id().hex().substring(0, 12))).contains(image);
      assertThat(images.find(registry.host() + "/library/app@" + app.manifestDigest())).contains(image);
      assertThat(images.find("nothing:here")).isEmpty();
      assertThat(images.list()).containsExactly(image);
    }
    // A new service on the same data root sees the same image.
    try (ImageService again = service()) {
      assertThat(again.find(registry.host() + "/library/app:1")).isPresent();
    }
  }

  @Test
  void pullsOciImageWithZstdAndPlainLayers() throws IOException {
    try (ImageService images = service()) {
      Image image = images.pull(registry.host() + "/ns/oci:zstd", null, PullProgressListener.NONE);
      assertThat(image.manifestMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
      List<Path> lower = images.lowerDirs(image);
      assertThat(lower.get(0).resolve("plain")).hasContent("p");
      assertThat(lower.get(1).resolve("etc/os-release")).hasContent("ID=test");
    }
  }

  @Test
  void pullsByDigest() throws IOException {
    try (ImageService images = service()) {
      Image image = images.pull(registry.host() + "/library/app@" + app.manifestDigest(), null,
          PullProgressListener.NONE);
      assertThat(image.id()).isEqualTo(app.configDigest());
      assertThat(image.repoTags()).isEmpty();
      assertThat(image.repoDigests()).containsExactly(registry.host() + "/library/app@" + app.manifestDigest());
    }
  }

  @Test
  void choosesThePlatformFromAnIndex() throws IOException {
    try (ImageService images = service()) {
      Image host = images.pull(registry.host() + "/library/multi", null, PullProgressListener.NONE);
      assertThat(host.platform().architecture()).isEqualTo(Platform.host().architecture());
      Image arm = images.pull(registry.host() + "/library/multi", Platform.parse("linux/arm64"),
          PullProgressListener.NONE);
      assertThat(arm.id()).isEqualTo(arm64.configDigest());
      assertThat(arm.manifestDigest()).isEqualTo(arm64.manifestDigest());
      assertThat(arm.repoDigests()).containsExactly(registry.host() + "/library/multi@" + indexDigest);
      assertThat(images.lowerDirs(arm).getFirst().resolve("arch")).hasContent("arm64");
      Image amd = images.pull(registry.host() + "/library/multi", Platform.parse("linux/amd64"),
          PullProgressListener.NONE);
      assertThat(amd.id()).isEqualTo(amd64.configDigest());
      // The tag moved to the image pulled last, as Docker does.
      assertThat(images.find(arm.id().toString()).orElseThrow().repoTags()).isEmpty();
      List<Path> armDirs = images.lowerDirs(arm);
      assertThat(images.prune(java.util.Set.of())).containsExactly(arm.id());
      assertThat(images.list()).singleElement().matches(i -> i.id().equals(amd.id()));
      assertThat(armDirs).noneMatch(Files::exists);
      assertThat(images.lowerDirs(amd)).allMatch(Files::isDirectory);
      assertThatThrownBy(() -> images.pull(registry.host() + "/library/multi",
          Platform.parse("linux/s390x"), PullProgressListener.NONE))
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("no image for platform linux/s390x")
          .hasMessageContaining("linux/arm64");
    }
  }

  @Test
  void sharesLayersBetweenImagesAndCollectsGarbageOnRemove() throws IOException {
    try (ImageService images = service()) {
      Image one = images.pull(registry.host() + "/library/app:1", null, PullProgressListener.NONE);
      List<PullProgressListener.Event> events = new CopyOnWriteArrayList<>();
      Image two = images.pull(registry.host() + "/library/app:2", null, events::add);
      Digest baseLayer = one.layers().getFirst();
      assertThat(two.layers().getFirst()).isEqualTo(baseLayer);
      assertThat(events).anyMatch(e -> e.layer().equals(baseLayer) && e.phase() == Phase.ALREADY_EXISTS);
      assertThat(images.lowerDirs(two).getLast()).isEqualTo(images.lowerDirs(one).getLast());

      images.tag(registry.host() + "/library/app:1", "local/alias:x");
      ImageService.Removal untag = images.remove("local/alias:x", false);
      assertThat(untag.untagged()).containsExactly("docker.io/local/alias:x");
      assertThat(untag.deleted()).isEmpty();

      Path oneTop = images.lowerDirs(one).getFirst();
      ImageService.Removal removal = images.remove(registry.host() + "/library/app:1", false);
      assertThat(removal.deleted()).containsExactly(one.id());
      assertThat(images.find(one.id().toString())).isEmpty();
      assertThat(oneTop).doesNotExist();
      assertThat(dataRoot.resolve("image/blobs/sha256/" + one.layers().getLast().hex())).doesNotExist();
      assertThat(dataRoot.resolve("image/blobs/sha256/" + one.id().hex())).doesNotExist();
      // Shared with app:2: kept.
      assertThat(dataRoot.resolve("image/blobs/sha256/" + baseLayer.hex())).exists();
      assertThat(images.lowerDirs(two)).allMatch(Files::isDirectory);
      assertThatThrownBy(() -> images.remove("nope", false))
          .isInstanceOf(ImageNotFoundException.class).hasMessage("No such image: nope");
    }
  }

  @Test
  void unknownImageGivesAClearError() {
    try (ImageService images = service()) {
      assertThatThrownBy(() -> images.pull(registry.host() + "/library/missing:1", null,
          PullProgressListener.NONE))
          .isInstanceOf(RegistryException.NotFound.class)
          .hasMessageContaining("manifest for " + registry.host() + "/library/missing:1 not found")
          .hasMessageContaining("MANIFEST_UNKNOWN");
    }
  }

  @Test
  void pullsDockerHubNamesFromAMirror() throws IOException {
    TestImages.push(pusher, "library/busybox", "latest", "amd64", false,
        List.of(TestImages.gzip(new TarBuilder().file("bin/busybox", "bb").tar(), false)));
    RegistryConfig cfg = config().withMirrors(List.of(URI.create(registry.base())));
    try (ImageService images = new ImageService(dataRoot, cfg)) {
      Image image = images.pull("busybox", null, PullProgressListener.NONE);
      assertThat(image.repoTags()).containsExactly("docker.io/library/busybox:latest");
      assertThat(image.familiarRepoTags()).containsExactly("busybox:latest");
      assertThat(images.find("busybox")).contains(image);
      assertThat(images.lowerDirs(image).getFirst().resolve("bin/busybox")).hasContent("bb");
    }
  }

  @Test
  void resumesADownloadCutHalfWay() throws IOException {
    try (CuttingProxy proxy = new CuttingProxy(registry.port(), 600_000);
        ImageService images = service()) {
      Image image = images.pull(proxy.host() + "/library/big:latest", null, PullProgressListener.NONE);
      assertThat(proxy.hasCut()).isTrue();
      assertThat(proxy.requests()).anyMatch(r -> r.contains("range: bytes="));
      assertThat(images.lowerDirs(image).getFirst().resolve("noise")).hasSize(2_000_000);
    }
  }

  @Test
  void aPullKilledHalfWayIsResumedByTheNextPull() throws IOException {
    String ref = registry.host() + "/library/big:latest";
    try (ImageService images = service()) {
      assertThatThrownBy(() -> images.pull(ref, null, e -> {
        if (e.phase() == Phase.DOWNLOADING && e.current() > e.total() / 2) {
          throw new IllegalStateException("killed");
        }
      })).hasMessage("killed");
      assertThat(images.list()).isEmpty();
      try (Stream<Path> partial = Files.list(dataRoot.resolve("image/ingest"))) {
        assertThat(partial.toList()).singleElement()
            .matches(p -> p.toString().endsWith(".partial"));
      }
      List<PullProgressListener.Event> events = new CopyOnWriteArrayList<>();
      Image image = images.pull(ref, null, events::add);
      PullProgressListener.Event first = events.stream()
          .filter(e -> e.phase() == Phase.DOWNLOADING).findFirst().orElseThrow();
      assertThat(first.current()).isGreaterThan(first.total() / 2);
      assertThat(images.lowerDirs(image).getFirst().resolve("noise")).hasSize(2_000_000);
      try (Stream<Path> partial = Files.list(dataRoot.resolve("image/ingest"))) {
        assertThat(partial.toList()).isEmpty();
      }
    }
  }

  @Test
  void refusesMaliciousLayersAndKeepsNothing() throws IOException {
    Path outside = Files.createDirectories(dataRoot.resolve("outside"));
    record Evil(String name, byte[] tar, String message) {}
    List<Evil> evils = List.of(
        new Evil("dotdot", new TarBuilder().file("../../../escaped", "x").tar(), "escapes the layer root"),
        new Evil("absolute", new TarBuilder().file(outside + "/escaped", "x").tar(), "is an absolute path"),
        new Evil("symlink", new TarBuilder().symlink("s", outside.toString()).file("s/escaped", "x").tar(),
            "points outside the layer"),
        new Evil("hardlink", new TarBuilder().hardlink("h", "../../../../etc/passwd").tar(), "escapes the layer root"),
        new Evil("absurd", new TarBuilder().file("ok", "fine").buildWithAbsurdEntry("huge", 1L << 52),
            "claims a size of 4503599627370496 bytes"));
    try (ImageService images = service()) {
      for (Evil evil : evils) {
        TestImages.push(pusher, "evil/" + evil.name(), "latest", "amd64", false,
            List.of(TestImages.gzip(BASE, false), TestImages.plain(evil.tar())));
        assertThatThrownBy(() -> images.pull(registry.host() + "/evil/" + evil.name(), null,
            PullProgressListener.NONE))
            .as(evil.name())
            .isInstanceOf(LayerRejectedException.class)
            .hasMessageContaining("refused")
            .hasMessageContaining(evil.message());
      }
      assertThat(images.list()).isEmpty();
      assertThat(outside).isEmptyDirectory();
      try (Stream<Path> snaps = Files.list(dataRoot.resolve("image/snapshots"))) {
        // Only the harmless base layer became a snapshot; no half-unpacked directory remains.
        assertThat(snaps.map(p -> p.getFileName().toString()).toList())
            .containsExactlyInAnyOrder("tmp", io.jcompose.runtime.image.snapshot.ChainIds
                .of(List.of(Digest.sha256(BASE))).getFirst().hex());
      }
      assertThat(dataRoot.resolve("image/snapshots/tmp")).isEmptyDirectory();
    }
  }

  @Test
  void concurrentPullsOfOneImageShareTheWork() throws Exception {
    try (ImageService images = service();
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var a = pool.submit(() -> images.pull(registry.host() + "/library/app:1", null, PullProgressListener.NONE));
      var b = pool.submit(() -> images.pull(registry.host() + "/library/app:1", null, PullProgressListener.NONE));
      assertThat(a.get().id()).isEqualTo(b.get().id());
      assertThat(images.list()).hasSize(1);
      assertThat(images.lowerDirs(a.get())).allMatch(Files::isDirectory);
    }
  }

}
