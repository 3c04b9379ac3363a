package io.jcompose.runtime.image.build.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build cache index: one small JSON file per step key under {@code
 * <dataRoot>/builder/cache/}, so it survives engine restarts and concurrent builds never
 * rewrite a shared file. Layers themselves live in the image content store; an entry whose
 * blob has since been garbage-collected counts as a miss.
 */
public final class CacheIndex {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path dir;

  /** @param dataRoot the engine data root; the index lives in {@code builder/cache} below it */
  public CacheIndex(Path dataRoot) {
    this.dir = dataRoot.resolve("builder").resolve("cache");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The entry for a key, if there is one whose layer blob is still present.
   *
   * @param blobPresent tells whether a blob digest ({@code sha256:...}) is in the content store
   */
  public Optional<CacheEntry> lookup(CacheKey key, Predicate<String> blobPresent) {
    Path f = dir.resolve(key.hex() + ".json");
    CacheEntry e;
    try {
      e = JSON.readValue(Files.readAllBytes(f), CacheEntry.class);
    } catch (NoSuchFileException ex) {
      return Optional.empty();
    } catch (IOException | JacksonException ex) {
      return Optional.empty(); // a torn or foreign file is a miss, rewritten by the next build
    }
    if (e.hasLayer() && (e.blob() == null || !blobPresent.test(e.blob()))) {
      return Optional.empty();
    }
    CacheEntry touched = new CacheEntry(e.key(), e.diffId(), e.blob(), e.size(), e.mediaType(),
        e.created(), Instant.now().toString());
    write(touched);
    return Optional.of(touched);
  }

  /** Records what a step produced (atomically replacing an older entry). */
  public void put(CacheEntry entry) {
    write(entry);
  }

  private void write(CacheEntry e) {
    String hex = e.key().substring(e.key().indexOf(':') + 1);
    try {
      Path tmp = Files.createTempFile(dir, hex.substring(0, 12), ".tmp");
      try {
        Files.write(tmp, JSON.writeValueAsBytes(e));
        Files.move(tmp, dir.resolve(hex + ".json"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException ex) {
        throw new IOException("the build cache needs atomic renames in " + dir, ex);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Every entry (unreadable files skipped). */
  public List<CacheEntry> entries() {
    List<CacheEntry> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(JSON.readValue(Files.readAllBytes(f), CacheEntry.class));
        } catch (IOException | JacksonException ignored) {
          // skipped: prune removes it
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * {@code builder prune}: removes entries last used before {@code olderThan} and unreadable
   * files; with {@code --keep-storage} only the least recently used of them go, until the layers
   * of all entries left add up to at most {@code keepBytes} (BuildKit's rule).
   *
   * @param olderThan only entries last used before this may go ({@code null}: any)
   * @param keepBytes the cache size to keep, in bytes of layer blobs; 0 for no limit
   * @return the removed entries, whose blobs the caller may garbage-collect
   */
  public List<CacheEntry> prune(Instant olderThan, long keepBytes) {
    List<CacheEntry> removed = new ArrayList<>();
    List<Map.Entry<Path, CacheEntry>> candidates = new ArrayList<>();
    long total = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) {
        CacheEntry e = null;
        try {
          e = JSON.readValue(Files.readAllBytes(f), CacheEntry.class);
        } catch (IOException | JacksonException ignored) {
          // unreadable: removed below
        }
        if (e == null) {
          Files.deleteIfExists(f);
          continue;
        }
        total += e.hasLayer() ? e.size() : 0;
        if (olderThan == null || Instant.parse(e.lastUsed()).isBefore(olderThan)) {
          candidates.add(Map.entry(f, e));
        }
      }
      candidates.sort(Comparator.comparing(c -> Instant.parse(c.getValue().lastUsed())));
      for (Map.Entry<Path, CacheEntry> c : candidates) {
        if (keepBytes > 0 && total <= keepBytes) {
          break;
        }
        Files.deleteIfExists(c.getKey());
        removed.add(c.getValue());
        total -= c.getValue().hasLayer() ? c.getValue().size() : 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return removed;
  }
}
