package io.jcompose.runtime.image.store;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs at most one piece of work per key at a time: callers asking for a key that is already
 * being worked on wait for that result instead of doing the work again (one download per blob,
 * one unpack per snapshot).
 *
 * @param <K> the key (a digest)
 * @param <V> the result
 */
public final class SingleFlight<K, V> {

  /** The work for one key. */
  @FunctionalInterface
  public interface Work<V> {
    V run() throws IOException;
  }

  private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

  /** Runs {@code work} for {@code key}, or waits for the run already under way. */
  public V run(K key, Work<V> work) throws IOException {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> theirs = running.putIfAbsent(key, mine);
    if (theirs != null) {
      return join(theirs);
    }
    try {
      V v = work.run();
      mine.complete(v);
      return v;
    } catch (IOException | RuntimeException | Error t) {
      mine.completeExceptionally(t);
      throw t;
    } finally {
      running.remove(key, mine);
    }
  }

  /**
   * Claims {@code key} for work the caller carries out step by step (a download streamed into an
   * unpack), finished later through the claim; {@code null} when a run for it is under way
   * already. Callers of {@link #run} for the key wait for the claim's outcome meanwhile.
   */
  public Claim<K, V> claim(K key) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    return running.putIfAbsent(key, mine) == null ? new Claim<>(this, key, mine) : null;
  }

  /**
   * Waits for the run under way for {@code key}, if any, and returns its result (its failure
   * rethrown); {@code null} when none runs.
   */
  public V await(K key) throws IOException {
    CompletableFuture<V> theirs = running.get(key);
    return theirs == null ? null : join(theirs);
  }

  /** A key being worked on; exactly one of {@link #complete}/{@link #fail} ends it. */
  public static final class Claim<K, V> {
    private final SingleFlight<K, V> owner;
    private final K key;
    private final CompletableFuture<V> future;

    private Claim(SingleFlight<K, V> owner, K key, CompletableFuture<V> future) {
      this.owner = owner;
      this.key = key;
      this.future = future;
    }

    public void complete(V value) {
      future.complete(value);
      owner.running.remove(key, future);
    }

    public void fail(Throwable why) {
      future.completeExceptionally(why);
      owner.running.remove(key, future);
    }
  }

  /**
   * Waits for {@code future} and rethrows its failure as it was thrown (I/O and unchecked
   * exceptions unchanged), for the other places that wait on background work.
   */
  public static <T> T join(java.util.concurrent.Future<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting", e);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        default -> throw new IOException(e.getCause());
      }
    }
  }
}
