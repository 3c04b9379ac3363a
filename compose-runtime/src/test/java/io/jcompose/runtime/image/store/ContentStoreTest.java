package io.jcompose.runtime.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.registry.BlobStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's own logic, fed from memory (the registry tests feed it from a real registry). */
class ContentStoreTest {

  @TempDir Path root;
  private final byte[] blob = new byte[300_000];
  private final Digest digest;

  ContentStoreTest() {
    new Random(42).nextBytes(blob);
    digest = Digest.sha256(blob);
  }

  private ContentStore store() {
    return new ContentStore(root, 3, Duration.ofMillis(1));
  }

  /** Serves the blob from an offset, optionally breaking after {@code breakAfter} bytes. */
  private BlobSource source(List<Long> offsets, long breakAfter, boolean honourRange) {
    return offset -> {
      offsets.add(offset);
      long start = honourRange ? offset : 0;
      InputStream in = new ByteArrayInputStream(blob, (int) start, blob.length - (int) start);
      if (breakAfter > 0 && offsets.size() == 1) {
        in = new BreakingStream(in, breakAfter);
      }
      return new BlobStream(in, start);
    };
  }

  @Test
  void storesVerifiedBlobUnderItsDigest() throws IOException {
    Path p = store().fetch(digest, blob.length, source(new ArrayList<>(), 0, true), n -> {});
    assertThat(p).isEqualTo(root.resolve("blobs/sha256/" + digest.hex()));
    assertThat(Files.readAllBytes(p)).isEqualTo(blob);
    assertThat(store().partialPath(digest)).doesNotExist();
  }

  @Test
  void resumesWithRangeAfterABrokenConnection() throws IOException {
    List<Long> offsets = new ArrayList<>();
    List<Long> progress = new ArrayList<>();
    Path p = store().fetch(digest, blob.length, source(offsets, 100_000, true), progress::add);
    assertThat(Files.readAllBytes(p)).isEqualTo(blob);
    assertThat(offsets).containsExactly(0L, 100_000L);
    assertThat(progress.getLast()).isEqualTo(blob.length);
  }

  @Test
  void openStreamsTheBlobWhileStoringItAndResumesBrokenConnectionsUnseen() throws IOException {
    for (boolean honourRange : new boolean[] {true, false}) {
      Path dir = root.resolve("range-" + honourRange);
      ContentStore store = new ContentStore(dir, 3, Duration.ofMillis(1));
      List<Long> offsets = new ArrayList<>();
      byte[] read;
      try (InputStream in = store.open(digest, blob.length, source(offsets, 100_000, honourRange), n -> {})) {
        read = in.readAllBytes();
      }
      assertThat(read).isEqualTo(blob);
      assertThat(offsets).containsExactly(0L, 100_000L);
      assertThat(Files.readAllBytes(store.path(digest))).isEqualTo(blob);
      assertThat(store.partialPath(digest)).doesNotExist();
      try (InputStream again = store.open(digest, blob.length, o -> { throw new IOException("no"); }, n -> {})) {
        assertThat(again.readAllBytes()).isEqualTo(blob); // from the store now
      }
    }
  }

  @Test
  void anOpenStreamClosedHalfWayLeavesAPartialFileTheNextOneResumes() throws IOException {
    ContentStore store = store();
    try (InputStream in = store.open(digest, blob.length, source(new ArrayList<>(), 0, true), n -> {})) {
      in.readNBytes(120_000);
    }
    assertThat(store.path(digest)).doesNotExist();
    assertThat(store.partialPath(digest)).exists();
    List<Long> offsets = new ArrayList<>();
    List<Long> progress = new ArrayList<>();
    try (InputStream in = store.open(digest, blob.length, source(offsets, 0, true), progress::add)) {
      assertThat(in.readAllBytes()).isEqualTo(blob);
    }
    assertThat(progress.getFirst()).isGreaterThanOrEqualTo(120_000L);
    assertThat(offsets.getFirst()).isGreaterThanOrEqualTo(120_000L);
    assertThat(Files.readAllBytes(store.path(digest))).isEqualTo(blob);
  }

  @Test
  void anOpenStreamOfTheWrongContentFailsAtTheEndAndStoresNothing() throws IOException {
    ContentStore store = store();
    Digest other = Digest.sha256(new byte[] {1});
    try (InputStream in = store.open(other, blob.length, source(new ArrayList<>(), 0, true), n -> {})) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(ContentVerificationException.class)
          .hasMessageContaining("expected " + other);
    }
    assertThat(store.path(other)).doesNotExist();
    assertThat(store.partialPath(other)).doesNotExist();
    try (InputStream in = store.open(digest, blob.length - 1, source(new ArrayList<>(), 0, true), n -> {})) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(ContentVerificationException.class)
          .hasMessageContaining("larger than");
    }
  }

  @Test
  void restartsWhenTheSourceIgnoresRange() throws IOException {
    List<Long> offsets = new ArrayList<>();
    Path p = store().fetch(digest, blob.length, source(offsets, 100_000, false), n -> {});
    assertThat(Files.readAllBytes(p)).isEqualTo(blob);
    assertThat(offsets).containsExactly(0L, 100_000L);
  }

  @Test
  void refusesWrongDigestAndKeepsNothing() {
    Digest other = Digest.sha256(new byte[] {1});
    assertThatThrownBy(() -> store().fetch(other, blob.length, source(new ArrayList<>(), 0, true), n -> {}))
        .isInstanceOf(ContentVerificationException.class)
        .hasMessageContaining("expected " + other);
    assertThat(store().path(other)).doesNotExist();
    assertThat(store().partialPath(other)).doesNotExist();
  }

  @Test
  void refusesMoreBytesThanDeclared() {
    assertThatThrownBy(() -> store().fetch(digest, 1000, source(new ArrayList<>(), 0, true), n -> {}))
        .isInstanceOf(ContentVerificationException.class)
        .hasMessageContaining("larger than the 1000 bytes");
    assertThat(store().partialPath(digest)).doesNotExist();
  }

  @Test
  void concurrentFetchesOfOneBlobDownloadOnce() throws Exception {
    ContentStore store = store();
    AtomicInteger opens = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    BlobSource slow = offset -> {
      opens.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      return new BlobStream(new ByteArrayInputStream(blob), 0);
    };
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> store.fetch(digest, blob.length, slow, n -> {})));
      }
      Thread.sleep(200);
      release.countDown();
      for (Future<Path> f : results) {
        assertThat(f.get()).isEqualTo(store.path(digest));
      }
    }
    assertThat(opens.get()).isEqualTo(1);
  }

  @Test
  void retainOnlyDeletesUnreferencedBlobs() throws IOException {
    ContentStore store = store();
    byte[] other = {1, 2, 3};
    store.put(Digest.sha256(other), other);
    store.fetch(digest, blob.length, source(new ArrayList<>(), 0, true), n -> {});
    long freed = store.retainOnly(Set.of(digest));
    assertThat(freed).isEqualTo(3);
    assertThat(store.contains(digest)).isTrue();
    assertThat(store.contains(Digest.sha256(other))).isFalse();
  }

  /** Throws like a reset connection after {@code limit} bytes. */
  private static final class BreakingStream extends InputStream {
    private final InputStream in;
    private long left;

    BreakingStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("Connection reset");
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }
  }

  @Test
  void refusesABlobLargerThanTheFreeDiskBeforeDownloading() {
    List<Long> offsets = new ArrayList<>();
    assertThatThrownBy(() -> store().fetch(digest, 1L << 60, source(offsets, 0, true), n -> {}))
        .isInstanceOf(ContentVerificationException.class)
        .hasMessageContaining("declares 1152921504606846976 bytes, more than the");
    assertThat(offsets).isEmpty();
  }
}
