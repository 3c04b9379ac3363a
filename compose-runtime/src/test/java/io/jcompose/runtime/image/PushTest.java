package io.jcompose.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.registry.RegistryCredentials;
import io.jcompose.testsupport.RegistryServer;
import io.jcompose.runtime.image.support.Root;
import io.jcompose.runtime.image.support.TarBuilder;
import io.jcompose.runtime.image.support.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push round trip: pull from one real registry, push to a second (basic auth), pull back. */
@Tag("registry")
@Tag("root")
class PushTest {

  @TempDir Path source;
  @TempDir Path target;
  @TempDir Path dataRoot;

  @Test
  void pushedImageComesBackWithTheSameDigest() throws Exception {
    Root.assume();
    AuthSource auth = host -> Optional.of(new RegistryCredentials("jcompose", "jcompose-pass"));
    RegistryConfig cfg = RegistryConfig.defaults().withAuth(auth).withRetries(2, Duration.ofMillis(10));
    try (RegistryServer from = RegistryServer.anonymous(source);
        RegistryServer to = RegistryServer.basicAuth(target, "jcompose", "jcompose-pass")) {
      TestImages.Pushed original = TestImages.push(TestImages.Pusher.anonymous(from), "library/app", "1",
          "amd64", true, List.of(TestImages.zstd(new TarBuilder().file("a", "1").tar()),
              TestImages.gzip(new TarBuilder().file("b", "2").tar(), true)));
      Digest pushed;
      try (ImageService images = new ImageService(dataRoot.resolve("one"), cfg)) {
        images.pull(from.host() + "/library/app:1", null, PullProgressListener.NONE);
        Image tagged = images.tag(from.host() + "/library/app:1", to.host() + "/team/app:v1");
        List<PushProgressListener.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        pushed = images.push(to.host() + "/team/app:v1", null, events::add);
        assertThat(pushed).isEqualTo(original.manifestDigest());
        List<Digest> diffIds = images.config(tagged).diffIds();
        // Docker's order: every layer Preparing (top first), then per layer Pushing... Pushed.
        assertThat(events.subList(0, 2)).extracting(PushProgressListener.Event::layer, PushProgressListener.Event::text)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(diffIds.get(1), "Preparing"),
                org.assertj.core.groups.Tuple.tuple(diffIds.get(0), "Preparing"));
        for (Digest layer : diffIds) {
          List<PushProgressListener.Event> mine = events.stream().filter(e -> e.layer().equals(layer)).toList();
          assertThat(mine.getLast().text()).isEqualTo("Pushed");
          assertThat(mine).filteredOn(e -> e.phase() == PushProgressListener.Phase.PUSHING).isNotEmpty()
              .last().matches(e -> e.current() == e.total() && e.total() > 0, "all bytes sent");
        }
        assertThat(images.find(tagged.id().toString()).orElseThrow().repoDigests())
            .contains(to.host() + "/team/app@" + pushed);
        // A second repository on the same registry: blobs are mounted, not uploaded again.
        images.tag(to.host() + "/team/app:v1", to.host() + "/team/copy:v1");
        events.clear();
        assertThat(images.push(to.host() + "/team/copy:v1", null, events::add)).isEqualTo(pushed);
        assertThat(events).filteredOn(e -> e.phase() != PushProgressListener.Phase.PREPARING)
            .extracting(PushProgressListener.Event::text).containsOnly("Mounted from team/app").hasSize(2);
        events.clear();
        images.push(to.host() + "/team/copy:v1", null, events::add);
        assertThat(events).filteredOn(e -> e.phase() != PushProgressListener.Phase.PREPARING)
            .extracting(PushProgressListener.Event::text).containsExactly("Layer already exists", "Layer already exists");
      }
      try (ImageService fresh = new ImageService(dataRoot.resolve("two"), cfg)) {
        for (String name : List.of("/team/app:v1", "/team/copy:v1")) {
          Image back = fresh.pull(to.host() + name, null, PullProgressListener.NONE);
          assertThat(back.manifestDigest()).isEqualTo(original.manifestDigest());
          assertThat(back.id()).isEqualTo(original.configDigest());
          assertThat(fresh.lowerDirs(back).get(1).resolve("a")).hasContent("1");
        }
      }
      assertThat(Files.exists(to.blobData(original.configDigest().hex()))).isTrue();
    }
  }
}
