package io.jcompose.runtime.image.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream ahead in a (virtual) thread of its own, a few chunks at most, so that making
 * the bytes (download, hashing, inflating) and using them (tar parsing, file writes) run on two
 * cores instead of taking turns on one. The source's failures reach the reader unchanged.
 */
final class ReadAheadInputStream extends InputStream {

  private static final int CHUNK = 1 << 18;
  private static final int DEPTH = 8;

  /** One chunk, the end ({@code length < 0}), or the source's failure. */
  private record Chunk(byte[] bytes, int length, Throwable failure) {}

  private final BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(DEPTH);
  private final Thread pump;
  private volatile boolean closed;
  private Chunk current;
  private int offset;
  private boolean ended;

  ReadAheadInputStream(InputStream source) {
    this.pump = Thread.ofVirtual().name("layer-read-ahead").start(() -> pump(source));
  }

  private void pump(InputStream source) {
    try (source) {
      while (!closed) {
        byte[] buf = new byte[CHUNK];
        int n = source.readNBytes(buf, 0, CHUNK);
        if (n > 0 && !hand(new Chunk(buf, n, null))) {
          return;
        }
        if (n < CHUNK) {
          hand(new Chunk(null, -1, null));
          return;
        }
      }
    } catch (Throwable t) {
      hand(new Chunk(null, -1, t));
    }
  }

  /** Queues a chunk; false once the reader has gone. */
  private boolean hand(Chunk c) {
    try {
      while (!closed) {
        if (chunks.offer(c, 100, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    if (current != null && offset < current.length()) {
      return true;
    }
    Chunk c;
    try {
      c = chunks.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading a layer");
    }
    if (c.failure() != null) {
      ended = true;
      switch (c.failure()) {
        case IOException io -> throw io;
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        default -> throw new IOException(c.failure());
      }
    }
    if (c.length() < 0) {
      ended = true;
      return false;
    }
    current = c;
    offset = 0;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current.bytes()[offset++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length() - offset);
    System.arraycopy(current.bytes(), offset, b, off, n);
    offset += n;
    return n;
  }

  /** Stops the reading thread and waits until it has closed the source. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    chunks.clear();
    pump.interrupt();
    try {
      pump.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while closing a layer");
    }
  }
}
