package io.jcompose.planner.reconcile;

/**
 * Receives the reconciler's progress events. Called from several (virtual) threads at once:
 * implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProgressListener {
  /** One event. */
  void onEvent(ProgressEvent event);

  /** A listener that ignores everything. */
  ProgressListener NONE = e -> {};
}
