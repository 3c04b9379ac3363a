package io.jcompose.planner.reconcile;

import io.jcompose.model.DependsOn;
import io.jcompose.planner.engine.ContainerInspect;
import io.jcompose.planner.engine.Engine;
import io.jcompose.planner.reconcile.ProgressEvent.Kind;
import io.jcompose.planner.reconcile.ProgressEvent.Status;
import io.jcompose.planner.graph.Dependency;
import io.jcompose.planner.plan.ContainerStep;
import io.jcompose.planner.plan.Plan;
import io.jcompose.planner.plan.ServicePlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Waiting on containers while an {@code up} runs: the {@code depends_on} conditions
 * ({@code service_started}, {@code service_healthy}, {@code service_completed_successfully},
 * {@code required: false}) before a service starts, and {@code --wait} after all started. Health
 * and exits are polled through inspect every {@link ReconcileOptions#pollInterval()}, as Compose does.
 */
final class Readiness {
  private final Engine engine;
  private final ReconcileOptions options;

  Readiness(Engine engine, ReconcileOptions options) {
    this.engine = engine;
    this.options = options;
  }

  /** Waits until every dependency of {@code sp} meets its {@code depends_on} condition. */
  void awaitDependencies(Plan plan, ServicePlan sp, ReconcileRun run) {
    awaitDependencies(plan, plan.graph().dependenciesOf(sp.name()).values(), run);
  }

  /** Waits until the given {@code depends_on} conditions hold on the containers the plan starts. */
  void awaitDependencies(Plan plan, java.util.Collection<Dependency> dependencies, ReconcileRun run) {
    for (Dependency d : dependencies) {
      ServicePlan dep = plan.services().get(d.dependency());
      if (dep == null || !dep.start()) {
        continue;
      }
      for (String container : containerNames(dep)) {
        try {
          switch (d.condition()) {
            case DependsOn.SERVICE_HEALTHY -> awaitHealthy(container, run);
            case DependsOn.SERVICE_COMPLETED_SUCCESSFULLY -> awaitCompleted(d.dependency(), container, run);
            default -> { } // service_started: its task has completed
          }
        } catch (IllegalStateException e) {
          if (d.required()) {
            throw e;
          }
          // required: false: Compose goes on without the dependency, with a warning
          run.emit(Kind.CONTAINER, container, Status.WARNING, "optional dependency \"" + d.dependency() + "\" failed to start: "
              + e.getMessage().replaceFirst("^dependency failed to start: ", ""));
        }
      }
    }
  }

  /** The names the service's containers have once the plan ran (removed ones left out). */
  static List<String> containerNames(ServicePlan sp) {
    return sp.steps().stream().filter(s -> !(s instanceof ContainerStep.Remove)).map(ContainerStep::containerName).toList();
  }

  private void awaitHealthy(String container, ReconcileRun run) {
    run.emit(Kind.CONTAINER, container, Status.WAITING);
    while (true) {
      run.checkNotFailed();
      ContainerInspect i = engine.inspectContainer(container);
      if (!i.hasHealthcheck()) {
        throw new IllegalStateException("dependency failed to start: container " + container + " has no healthcheck configured");
      }
      if (ContainerInspect.State.HEALTHY.equals(i.state().health())) {
        run.emit(Kind.CONTAINER, container, Status.HEALTHY);
        return;
      }
      if (ContainerInspect.State.UNHEALTHY.equals(i.state().health())) {
        throw new IllegalStateException("dependency failed to start: container " + container + " is unhealthy");
      }
      if (!i.state().running() && !i.state().restarting()) {
        throw new IllegalStateException("dependency failed to start: container " + container + " exited (" + i.state().exitCode() + ")");
      }
      pause(options.pollInterval());
    }
  }

  private void awaitCompleted(String service, String container, ReconcileRun run) {
    run.emit(Kind.CONTAINER, container, Status.WAITING);
    while (true) {
      run.checkNotFailed();
      ContainerInspect i = engine.inspectContainer(container);
      if (!i.state().running() && !i.state().restarting() && !"created".equals(i.state().status())) {
        if (i.state().exitCode() != 0) {
          throw new IllegalStateException("service \"" + service + "\" didn't complete successfully: exit " + i.state().exitCode());
        }
        run.emit(Kind.CONTAINER, container, Status.EXITED);
        return;
      }
      pause(options.pollInterval());
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** {@code --wait}: every started container running, and healthy when it has a health check, before the deadline. */
  void waitReady(Plan plan, ReconcileRun run) {
    long deadline = options.waitTimeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.waitTimeout().toNanos();
    Set<String> mayExit = new java.util.HashSet<>();
    plan.graph().services().forEach(s -> plan.graph().dependenciesOf(s).values().stream()
        .filter(d -> DependsOn.SERVICE_COMPLETED_SUCCESSFULLY.equals(d.condition())).forEach(d -> mayExit.add(d.dependency())));
    List<Runnable> waits = new ArrayList<>();
    for (ServicePlan sp : plan.services().values()) {
      if (!sp.start()) {
        continue;
      }
      for (String c : containerNames(sp)) {
        waits.add(() -> {
          try {
            waitOne(c, mayExit.contains(sp.name()), deadline, run);
          } catch (ReconcileRun.Skipped s) {
            throw s;
          } catch (RuntimeException e) {
            run.fail(Kind.CONTAINER, c, ReconcileRun.message(e));
          }
        });
      }
    }
    run.parallel(waits);
  }

  private void waitOne(String container, boolean mayExit, long deadline, ReconcileRun run) {
    run.emit(Kind.CONTAINER, container, Status.WAITING);
    while (true) {
      run.checkNotFailed();
      ContainerInspect i = engine.inspectContainer(container);
      if (i.state().running()) {
        if (!i.hasHealthcheck()) {
          run.emit(Kind.CONTAINER, container, Status.RUNNING);
          return;
        }
        if (ContainerInspect.State.HEALTHY.equals(i.state().health())) {
          run.emit(Kind.CONTAINER, container, Status.HEALTHY);
          return;
        }
        if (ContainerInspect.State.UNHEALTHY.equals(i.state().health())) {
          throw new IllegalStateException("container " + container + " is unhealthy");
        }
      } else if (!i.state().restarting() && !"created".equals(i.state().status())) {
        if (mayExit && i.state().exitCode() == 0) {
          run.emit(Kind.CONTAINER, container, Status.EXITED);
          return;
        }
        throw new IllegalStateException("container " + container + " exited (" + i.state().exitCode() + ")");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("application not healthy after " + options.waitTimeout().toSeconds() + "s");
      }
      pause(options.pollInterval());
    }
  }
}
