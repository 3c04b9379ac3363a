package io.jcompose.planner.reconcile;

import io.jcompose.planner.engine.EngineException;
import java.util.function.Supplier;

/** How the reconciler reads the engine's 404s. */
final class EngineCalls {
  private EngineCalls() {}

  /** The call's result, or {@code null} when the engine answers 404. */
  static <T> T ifPresent(Supplier<T> call) {
    try {
      return call.get();
    } catch (EngineException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  /** Runs an inspect; a 404 becomes an error with {@code message}. */
  static void requireExisting(Supplier<?> inspect, String message) {
    if (ifPresent(inspect) == null) {
      throw new EngineException(EngineException.NOT_FOUND, message);
    }
  }
}
