package io.jcompose.runtime.image.build.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
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
      e = read(f);
    } catch (NoSuchFileException ex) {
      return Optional.empty();
    } catch (IOException | JacksonException ex) {
      return Optional.empty(); // a torn or foreign file is a miss, rewritten by the next build
    }
    if (e.hasLayer() && (e.blob() == null || !blobPresent.test(e.blob()))) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    // A hit only moves the file's time (one utimensat), not a rewrite of the entry: a no-change
    // build hits every step, and a temp file plus rename each cost more than the lookup.
    try {
      Files.setLastModifiedTime(f, FileTime.from(now));
    } catch (NoSuchFileException ex) {
      return Optional.empty(); // pruned meanwhile
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return Optional.of(withLastUsed(e, now.toString()));
  }

  /**
   * An entry as stored: its last use is the later of the one written in it and the file's time
   * (which {@link #lookup} moves).
   */
  private static CacheEntry read(Path f) throws IOException {
    CacheEntry e = JSON.readValue(Files.readAllBytes(f), CacheEntry.class);
    Instant touched = Files.getLastModifiedTime(f).toInstant();
    Instant written = parseOrNull(e.lastUsed());
    return written == null || touched.isAfter(written) ? withLastUsed(e, touched.toString()) : e;
  }

  private static CacheEntry withLastUsed(CacheEntry e, String lastUsed) {
    return new CacheEntry(e.key(), e.diffId(), e.blob(), e.size(), e.mediaType(), e.created(), lastUsed);
  }

  private static Instant parseOrNull(String time) {
    try {
      return time == null ? null : Instant.parse(time);
    } catch (java.time.format.DateTimeParseException ex) {
      return null;
    }
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
        Instant used = parseOrNull(e.lastUsed());
        if (used != null) {
          Files.setLastModifiedTime(tmp, FileTime.from(used)); // the file's time is the entry's last use (see read)
        }
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
          out.add(read(f));
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
          e = read(f);
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
