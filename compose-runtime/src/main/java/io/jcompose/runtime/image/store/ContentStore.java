package io.jcompose.runtime.image.store;

import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.registry.BlobStream;
import io.jcompose.runtime.io.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed blobs under {@code <root>/blobs/sha256/<hex>}, shared by all images.
 *
 * <p>A download goes to {@code <root>/ingest/<hex>.partial}; its sha256 and length are checked
 * while the bytes stream in, and only a verified file is renamed into {@code blobs/}, so a blob
 * path always holds exactly the content its name says. A partial file left by an interrupted
 * download is resumed (HTTP {@code Range}) by the next attempt. Concurrent requests for the same
 * digest share one download.
 */
public final class ContentStore {

  private static final Logger LOG = LoggerFactory.getLogger(ContentStore.class);
  private static final int BUFFER = 1 << 16;

  private final Path blobs;
  private final Path ingest;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final SingleFlight<Digest, Path> downloads = new SingleFlight<>();

  /**
   * @param root the store directory, e.g. {@code <dataRoot>/image}
   * @param maxAttempts download attempts per blob on I/O failures
   * @param initialBackoff wait before the second attempt, doubled after each
   */
  public ContentStore(Path root, int maxAttempts, Duration initialBackoff) {
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.ingest = root.resolve("ingest");
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(ingest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the content store in " + root, e);
    }
  }

  /** Where the blob lives (whether or not it is present). */
  public Path path(Digest digest) {
    return blobs.resolve(digest.hex());
  }

  /** Whether the blob is stored. */
  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  /** The bytes of a small stored blob (manifests, configs). */
  public byte[] read(Digest digest) throws IOException {
    return Files.readAllBytes(path(digest));
  }

  /** The partial download of {@code digest}, if one is waiting to be resumed. */
  public Path partialPath(Digest digest) {
    return ingest.resolve(digest.hex() + ".partial");
  }

  /**
   * Returns the stored blob, downloading it from {@code source} first if needed.
   *
   * @param size the exact size the manifest declares; more or fewer bytes is an error
   * @param progress told the number of bytes present so far (including resumed ones)
   * @throws ContentVerificationException if the content does not match digest or size
   * @throws IOException if every attempt failed
   */
  public Path fetch(Digest digest, long size, BlobSource source, LongConsumer progress)
      throws IOException {
    Path target = path(digest);
    if (!Files.isRegularFile(target)) {
      try (InputStream in = open(digest, size, source, progress)) {
        in.transferTo(OutputStream.nullOutputStream()); // the end commits the blob
      }
    }
    progress.accept(size);
    return target;
  }

  /**
   * Opens a blob to read while it downloads, so unpacking need not wait for the download nor
   * read the file again. A stored blob is simply opened. Otherwise the bytes are written to
   * {@code ingest/<hex>.partial} (continuing one an earlier pull left), hashed and counted as the
   * caller reads them; a broken connection is resumed from the current offset without the
   * reader noticing (with the retries and backoff of {@link #fetch}). Reading to the end
   * commits the blob as {@link #fetch} does (size and digest verified, fsync, atomic rename) or
   * throws {@link ContentVerificationException}; closing earlier keeps the partial file for the
   * next attempt. When another download of the digest is under way this waits for it and
   * opens the result.
   *
   * @param progress told the number of bytes present so far (including resumed ones)
   */
  public InputStream open(Digest digest, long size, BlobSource source, LongConsumer progress)
      throws IOException {
    Path target = path(digest);
    if (!Files.isRegularFile(target)) {
      SingleFlight.Claim<Digest, Path> claim = downloads.claim(digest);
      if (claim != null) {
        try {
          if (!Files.isRegularFile(target)) {
            long free = Files.getFileStore(ingest).getUsableSpace();
            if (size > free) {
              throw new ContentVerificationException("blob " + digest + " declares " + size
                  + " bytes, more than the " + free + " free in " + ingest + "; refusing it");
            }
            return new IngestStream(digest, size, source, progress, claim);
          }
          claim.complete(target);
        } catch (IOException | RuntimeException e) {
          claim.fail(e);
          throw e;
        }
      } else {
        downloads.await(digest); // someone else's download of it: wait for that
        if (!Files.isRegularFile(target)) {
          return open(digest, size, source, progress); // it was abandoned: take over
        }
      }
    }
    progress.accept(size);
    return Files.newInputStream(target);
  }

  /**
   * A download read as it arrives: first what the partial file holds (hashed as it is read
   * back), then the network from there on, each new byte hashed and appended to the file.
   */
  private final class IngestStream extends BulkInputStream {
    private final Digest digest;
    private final long size;
    private final BlobSource source;
    private final LongConsumer progress;
    private final SingleFlight.Claim<Digest, Path> claim;
    private final Path partial;
    private final FileChannel file;
    private final MessageDigest sha = Digest.newSha256();
    /** Bytes in the partial file when we began: served from it before the network. */
    private final long resumed;
    /** Bytes handed to the reader (all of them hashed). */
    private long position;
    private InputStream network;
    private int attempts;
    private boolean finished;

    IngestStream(Digest digest, long size, BlobSource source, LongConsumer progress,
        SingleFlight.Claim<Digest, Path> claim) throws IOException {
      this.digest = digest;
      this.size = size;
      this.source = source;
      this.progress = progress;
      this.claim = claim;
      this.partial = partialPath(digest);
      this.file = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      long have = file.size();
      if (have > size) {
        file.truncate(0);
        have = 0;
      }
      this.resumed = have;
      progress.accept(have);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (finished) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (position < resumed) {
        int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, resumed - position)), position);
        if (n < 0) {
          throw new IOException("the partial download " + partial + " shrank while being read");
        }
        sha.update(b, off, n);
        position += n;
        return n;
      }
      while (true) {
        if (position == size) {
          commit();
          return -1;
        }
        try {
          if (network == null) {
            connect();
          }
          int n = network.read(b, off, (int) Math.min(len, size - position + 1));
          if (n < 0) {
            throw new IOException("connection closed after " + position + " of " + size
                + " bytes of blob " + digest);
          }
          if (position + n > size) {
            abandon();
            Files.deleteIfExists(partial);
            throw new ContentVerificationException("blob " + digest + " is larger than the " + size
                + " bytes its manifest declares; refusing it");
          }
          sha.update(b, off, n);
          ByteBuffer bb = ByteBuffer.wrap(b, off, n);
          while (bb.hasRemaining()) {
            file.write(bb, position + bb.position() - off);
          }
          position += n;
          progress.accept(position);
          return n;
        } catch (ContentVerificationException e) {
          throw e;
        } catch (IOException e) {
          closeNetwork();
          if (++attempts >= maxAttempts) {
            throw new IOException("download of blob " + digest + " failed after " + maxAttempts
                + " attempts: " + e.getMessage(), e);
          }
          LOG.debug("download of {} failed (attempt {}): {}", digest, attempts, e.toString());
          sleep(initialBackoff.toMillis() << Math.min(attempts - 1, 6));
        }
      }
    }

    /** Opens the network from the current position, skipping what a source that cannot seek repeats. */
    private void connect() throws IOException {
      BlobStream stream = source.open(position);
      network = stream.body();
      if (stream.start() > position) {
        closeNetwork();
        throw new IOException("blob " + digest + " restarted at byte " + stream.start()
            + " instead of " + position);
      }
      network.skipNBytes(position - stream.start()); // bytes we have already
    }

    private void commit() throws IOException {
      finished = true;
      closeNetwork();
      try (file) {
        file.force(true);
      } catch (IOException e) {
        claim.fail(e);
        throw e;
      }
      Digest actual = Digest.of(sha);
      if (!actual.equals(digest)) {
        Files.deleteIfExists(partial);
        ContentVerificationException e = new ContentVerificationException(
            "downloaded blob has digest " + actual + ", expected " + digest + "; refusing it");
        claim.fail(e);
        throw e;
      }
      Path target = path(digest);
      try {
        moveAtomically(partial, target);
      } catch (IOException e) {
        claim.fail(e);
        throw e;
      }
      claim.complete(target);
    }

    private void closeNetwork() {
      if (network != null) {
        try {
          network.close();
        } catch (IOException ignored) {
          // the connection is dropped either way
        }
        network = null;
      }
    }

    private void abandon() throws IOException {
      if (!finished) {
        finished = true;
        closeNetwork();
        file.close();
        claim.fail(new IOException("the download of blob " + digest + " was abandoned"));
      }
    }

    @Override
    public void close() throws IOException {
      abandon(); // the partial file stays: the next pull resumes it
    }
  }

  /** Stores bytes we already hold (manifests, configs), verified against {@code digest}. */
  public Path put(Digest digest, byte[] content) throws IOException {
    Digest actual = Digest.sha256(content);
    if (!actual.equals(digest)) {
      throw new ContentVerificationException(
          "content has digest " + actual + ", expected " + digest);
    }
    Path target = path(digest);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path tmp = Files.createTempFile(ingest, digest.shortHex(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      moveAtomically(tmp, target);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Deletes every blob not in {@code keep}, and stale partial downloads; returns bytes freed. */
  public long retainOnly(Set<Digest> keep) throws IOException {
    Set<String> keepHex = new HashSet<>();
    keep.forEach(d -> keepHex.add(d.hex()));
    long freed = 0;
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!keepHex.contains(p.getFileName().toString())) {
          try {
            freed += Files.size(p);
            Files.delete(p);
          } catch (NoSuchFileException ignored) {
            // removed meanwhile
          }
        }
      }
    }
    return freed;
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the store needs atomic renames within " + to.getParent(), e);
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
