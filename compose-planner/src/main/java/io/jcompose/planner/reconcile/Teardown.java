package io.jcompose.planner.reconcile;

import io.jcompose.planner.engine.Engine;
import io.jcompose.planner.reconcile.ProgressEvent.Kind;
import io.jcompose.planner.reconcile.ProgressEvent.Status;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.plan.DownPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Taking a project down: {@code down} (containers dependents first and otherwise all at once,
 * then networks, then volumes), {@code stop}, and the stop-and-remove of one container that
 * {@code up} also uses for orphans and scale-down.
 */
final class Teardown {
  private final Engine engine;
  private final ReconcileOptions options;

  Teardown(Engine engine, ReconcileOptions options) {
    this.engine = engine;
    this.options = options;
  }

  /**
   * Executes a {@code down} plan: containers of each service once every service depending on it is
   * done (dependents first), then networks (skipped with a warning while still in use), then
   * volumes.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  void down(DownPlan plan, ReconcileRun run) {
    boolean removeVolumes = plan.options().removeVolumes();
    dependentsFirst(plan, run, c -> stopAndRemove(c, removeVolumes, stopTimeout(plan), run));
    run.throwIfFailed();
    run.parallel(plan.networks().stream().<Runnable>map(n -> () -> removeNetwork(n, run)).toList());
    run.parallel(plan.volumes().stream().<Runnable>map(v -> () -> removeVolume(v, run)).toList());
    run.throwIfFailed();
  }

  /**
   * Executes {@code stop}: stops the plan's running containers, dependents first, and leaves
   * networks, volumes and the containers themselves in place.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  void stop(DownPlan plan, ReconcileRun run) {
    dependentsFirst(plan, run, c -> {
      if (c.running()) {
        run.emit(Kind.CONTAINER, c.name(), Status.STOPPING);
        engine.stopContainer(c.id(), stopTimeout(plan));
        run.emit(Kind.CONTAINER, c.name(), Status.STOPPED);
      }
    });
    run.throwIfFailed();
  }

  /** {@code -t} of the plan's options, else of the reconcile options. */
  private Integer stopTimeout(DownPlan plan) {
    return plan.options().timeoutSeconds() != null ? plan.options().timeoutSeconds() : options.stopTimeoutSeconds();
  }

  /** Runs {@code action} on each container of a service once every service depending on it is done. */
  private void dependentsFirst(DownPlan plan, ReconcileRun run, java.util.function.Consumer<ObservedContainer> action) {
    Map<String, CompletableFuture<Void>> tasks = new HashMap<>();
    for (String service : plan.stopOrder()) {
      List<CompletableFuture<Void>> dependents = new ArrayList<>();
      plan.dependencies().forEach((s, deps) -> {
        if (deps.contains(service)) {
          dependents.add(tasks.get(s));
        }
      });
      tasks.put(service, CompletableFuture.allOf(dependents.toArray(CompletableFuture[]::new)).handleAsync((v, ex) -> {
        run.checkNotFailed();
        run.parallel(plan.containers().get(service).stream()
            .<Runnable>map(c -> () -> run.guarded(c.name(), () -> action.accept(c))).toList());
        return null;
      }, run.executor));
    }
    ReconcileRun.joinAll(List.copyOf(tasks.values()));
  }

  private void removeNetwork(String name, ReconcileRun run) {
    try {
      NetworkInfo n = EngineCalls.ifPresent(() -> engine.inspectNetwork(name));
      if (n == null) {
        return;
      }
      if (!n.containers().isEmpty()) {
        run.emit(Kind.NETWORK, name, Status.WARNING, "Resource is still in use");
        return;
      }
      run.emit(Kind.NETWORK, name, Status.REMOVING);
      engine.removeNetwork(name);
      run.emit(Kind.NETWORK, name, Status.REMOVED);
    } catch (RuntimeException e) {
      run.fail(Kind.NETWORK, name, ReconcileRun.message(e));
    }
  }

  private void removeVolume(String name, ReconcileRun run) {
    try {
      run.emit(Kind.VOLUME, name, Status.REMOVING);
      EngineCalls.ifPresent(() -> {
        engine.removeVolume(name, false);
        return null;
      });
      run.emit(Kind.VOLUME, name, Status.REMOVED);
    } catch (RuntimeException e) {
      run.fail(Kind.VOLUME, name, ReconcileRun.message(e));
    }
  }

  void stopAndRemove(ObservedContainer c, boolean removeVolumes, ReconcileRun run) {
    stopAndRemove(c, removeVolumes, options.stopTimeoutSeconds(), run);
  }

  private void stopAndRemove(ObservedContainer c, boolean removeVolumes, Integer timeoutSeconds, ReconcileRun run) {
    if (c.running()) {
      run.emit(Kind.CONTAINER, c.name(), Status.STOPPING);
      engine.stopContainer(c.id(), timeoutSeconds);
      run.emit(Kind.CONTAINER, c.name(), Status.STOPPED);
    }
    run.emit(Kind.CONTAINER, c.name(), Status.REMOVING);
    EngineCalls.ifPresent(() -> { // already gone: what we wanted
      engine.removeContainer(c.id(), true, removeVolumes);
      return null;
    });
    run.emit(Kind.CONTAINER, c.name(), Status.REMOVED);
  }
}
