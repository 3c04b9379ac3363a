package io.jcompose.runtime.image.build.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {
  @TempDir Path dataRoot;

  private static CacheKey run(String parent, String cmd, Map<String, String> args) {
    return CacheKey.after(parent, "linux/amd64").instruction(cmd).args(args).build();
  }

  @Test
  void keyDependsOnEveryInput() {
    CacheKey k = run("sha256:base", "RUN pip install -r requirements.txt", Map.of("A", "1", "B", "2"));
    assertThat(run("sha256:base", "RUN pip install -r requirements.txt", Map.of("B", "2", "A", "1"))).isEqualTo(k);
    assertThat(run("sha256:other", "RUN pip install -r requirements.txt", Map.of("A", "1", "B", "2"))).isNotEqualTo(k);
    assertThat(run("sha256:base", "RUN pip install  -r requirements.txt", Map.of("A", "1", "B", "2"))).isNotEqualTo(k);
    assertThat(run("sha256:base", "RUN pip install -r requirements.txt", Map.of("A", "1", "B", "3"))).isNotEqualTo(k);
    assertThat(CacheKey.after("sha256:base", "linux/arm64").instruction("RUN pip install -r requirements.txt")
        .args(Map.of("A", "1", "B", "2")).build()).isNotEqualTo(k);
    CacheKey copy = CacheKey.after("p", "linux/amd64").instruction("COPY . /app").files("sha256:1").build();
    assertThat(CacheKey.after("p", "linux/amd64").instruction("COPY . /app").files("sha256:2").build()).isNotEqualTo(copy);
    // fields cannot run into each other
    assertThat(CacheKey.after("a", "b").instruction("c").build())
        .isNotEqualTo(CacheKey.after("a", "b").instruction("").extra("", "c").build());
    assertThat(k.value()).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void indexSurvivesRestartsAndChecksBlobs() {
    CacheKey k = run("p", "RUN x", Map.of());
    CacheKey empty = run("p", "ENV A=1", Map.of());
    CacheIndex index = new CacheIndex(dataRoot);
    assertThat(index.lookup(k, b -> true)).isEmpty();
    String t = Instant.now().toString();
    index.put(new CacheEntry(k.value(), "sha256:diff", "sha256:blob", 10, "application/vnd.oci.image.layer.v1.tar+gzip", t, t));
    index.put(new CacheEntry(empty.value(), null, null, 0, null, t, t));

    CacheIndex reopened = new CacheIndex(dataRoot);
    assertThat(reopened.lookup(k, b -> b.equals("sha256:blob"))).get()
        .satisfies(e -> assertThat(e.diffId()).isEqualTo("sha256:diff"));
    assertThat(reopened.lookup(k, b -> false)).as("blob gone: a miss").isEmpty();
    assertThat(reopened.lookup(empty, b -> false)).isPresent();
    assertThat(reopened.entries()).hasSize(2);
  }

  @Test
  void aHitCountsAsAUseForPruneWithoutRewritingTheEntry() throws Exception {
    CacheIndex index = new CacheIndex(dataRoot);
    String old = Instant.parse("2020-01-01T00:00:00Z").toString();
    CacheKey key = run("p", "RUN used", Map.of());
    index.put(new CacheEntry(key.value(), null, null, 0, null, old, old));
    java.nio.file.Path file = dataRoot.resolve("builder/cache/" + key.hex() + ".json");
    byte[] written = Files.readAllBytes(file);
    assertThat(index.entries()).extracting(CacheEntry::lastUsed).containsExactly(old);

    Instant before = Instant.now().minusSeconds(1);
    assertThat(index.lookup(key, b -> false)).get().extracting(e -> Instant.parse(e.lastUsed())).isNotNull()
        .matches(t -> t.isAfter(before));
    assertThat(Files.readAllBytes(file)).isEqualTo(written);
    assertThat(Instant.parse(index.entries().getFirst().lastUsed())).isAfter(before);
    // used just now: an age cut-off a year ago keeps it
    assertThat(index.prune(Instant.parse("2024-01-01T00:00:00Z"), 0)).isEmpty();
  }

  @Test
  void pruneByAgeAndAll() throws Exception {
    CacheIndex index = new CacheIndex(dataRoot);
    String old = Instant.parse("2020-01-01T00:00:00Z").toString();
    String now = Instant.now().toString();
    index.put(new CacheEntry(run("p", "RUN old", Map.of()).value(), null, null, 0, null, old, old));
    index.put(new CacheEntry(run("p", "RUN new", Map.of()).value(), null, null, 0, null, now, now));
    Files.writeString(dataRoot.resolve("builder/cache/garbage.json"), "{not json");
    assertThat(index.prune(Instant.parse("2024-01-01T00:00:00Z"), 0)).hasSize(1);
    assertThat(index.entries()).hasSize(1);
    assertThat(dataRoot.resolve("builder/cache/garbage.json")).doesNotExist();
    assertThat(index.prune(null, 0)).hasSize(1);
    assertThat(index.entries()).isEmpty();
  }

  @Test
  void keepStorageRemovesTheLeastRecentlyUsedUntilTheRestFits() {
    CacheIndex index = new CacheIndex(dataRoot);
    String[] used = {"2021-01-01T00:00:00Z", "2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z"};
    for (int i = 0; i < used.length; i++) {
      index.put(new CacheEntry(run("p", "RUN step" + i, Map.of()).value(), "sha256:d" + i, "sha256:b" + i, 100, "gzip", used[i], used[i]));
    }
    // 300 bytes cached, keep 150: the two oldest go (300 -> 200 -> 100)
    assertThat(index.prune(null, 150)).extracting(CacheEntry::lastUsed).containsExactly(used[0], used[1]);
    assertThat(index.entries()).extracting(CacheEntry::lastUsed).containsExactly(used[2]);
    // already within the limit: nothing goes
    assertThat(index.prune(null, 100)).isEmpty();
    // the age filter still applies: the only entry is newer than the cut-off
    assertThat(index.prune(Instant.parse("2022-06-01T00:00:00Z"), 1)).isEmpty();
  }
}
