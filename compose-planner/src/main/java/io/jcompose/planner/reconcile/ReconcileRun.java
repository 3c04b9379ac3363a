package io.jcompose.planner.reconcile;

import io.jcompose.planner.reconcile.ProgressEvent.Kind;
import io.jcompose.planner.reconcile.ProgressEvent.Status;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution of a plan: its virtual-thread executor, the first failure (which stops new work
 * from being scheduled) and the progress events. Registered in its {@link Reconciler}'s set of
 * running executions while open, so {@link Reconciler#cancel} reaches it.
 */
final class ReconcileRun implements AutoCloseable {

  /** Thrown inside a task that was skipped because something else failed first. */
  static final class Skipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skipped() {
      super(null, null, false, false);
    }
  }

  private final AtomicReference<String> failure = new AtomicReference<>();
  private final ProgressListener listener;
  private final Set<ReconcileRun> registry;
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  ReconcileRun(ProgressListener listener, Set<ReconcileRun> registry) {
    this.listener = listener;
    this.registry = registry;
    registry.add(this);
  }

  void emit(Kind kind, String name, Status status) {
    listener.onEvent(new ProgressEvent(kind, name, status, ""));
  }

  void emit(Kind kind, String name, Status status, String message) {
    listener.onEvent(new ProgressEvent(kind, name, status, message));
  }

  /** Records the first failure (later ones are only reported as events). */
  void fail(Kind kind, String name, String message) {
    listener.onEvent(new ProgressEvent(kind, name, Status.ERROR, message));
    failure.compareAndSet(null, message);
  }

  /** {@link Reconciler#cancel}: fails the run with {@code reason} unless it failed already. */
  void cancel(String reason) {
    failure.compareAndSet(null, reason);
  }

  void checkNotFailed() {
    if (failure.get() != null) {
      throw new Skipped();
    }
  }

  /** Runs tasks in parallel and waits for all of them. */
  void parallel(List<Runnable> tasks) {
    List<CompletableFuture<Void>> fs = tasks.stream().map(t -> CompletableFuture.runAsync(t, executor)).toList();
    joinAll(fs);
  }

  void throwIfFailed() {
    String f = failure.get();
    if (f != null) {
      throw new ReconcileException(f);
    }
  }

  /** Runs {@code r} unless the run failed; its error is recorded as the container's failure. */
  void guarded(String container, Runnable r) {
    checkNotFailed();
    try {
      r.run();
    } catch (Skipped s) {
      throw s;
    } catch (RuntimeException e) {
      fail(Kind.CONTAINER, container, message(e));
    }
  }

  @Override
  public void close() {
    executor.close();
    registry.remove(this);
  }

  static void joinAll(List<CompletableFuture<Void>> fs) {
    for (CompletableFuture<Void> f : fs) {
      try {
        f.join();
      } catch (CompletionException e) {
        // recorded in the run's failure by the task itself, or a skip
      }
    }
  }

  static String message(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
