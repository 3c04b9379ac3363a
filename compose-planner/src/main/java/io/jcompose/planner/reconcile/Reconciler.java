package io.jcompose.planner.reconcile;

import io.jcompose.model.Service;
import io.jcompose.model.ServiceVolume;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.ComposeNames;
import io.jcompose.planner.engine.ContainerContext;
import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerInspect;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.planner.engine.Engine;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.planner.engine.ImageInfo;
import io.jcompose.planner.engine.VolumeInfo;
import io.jcompose.planner.graph.Dependency;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.plan.ContainerStep;
import io.jcompose.planner.plan.DownPlan;
import io.jcompose.planner.plan.Plan;
import io.jcompose.planner.plan.ResourceStep;
import io.jcompose.planner.plan.ServicePlan;
import io.jcompose.planner.reconcile.ProgressEvent.Kind;
import io.jcompose.planner.reconcile.ProgressEvent.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out a {@link Plan} or {@link DownPlan} through the {@link Engine} port, on virtual
 * threads: each service starts as soon as its own dependencies are ready (and their
 * {@code depends_on} conditions hold), the containers of one service in parallel. The first error
 * stops scheduling new work, lets started work finish, and is thrown as one
 * {@link ReconcileException} line. Re-running {@code up} after an interruption converges, because
 * every step is planned from what the engine holds.
 */
public final class Reconciler {
  private final Engine engine;
  private final ProgressListener listener;
  private final ReconcileOptions options;
  private final Readiness readiness;
  private final Teardown teardown;

  /**
   * @param engine the engine port
   * @param listener receives progress events (from several threads)
   * @param options how to execute
   */
  public Reconciler(Engine engine, ProgressListener listener, ReconcileOptions options) {
    this.engine = engine;
    this.listener = listener;
    this.options = options;
    this.readiness = new Readiness(engine, options);
    this.teardown = new Teardown(engine, options);
  }

  private ReconcileRun newRun() {
    return new ReconcileRun(listener, running);
  }

  private final java.util.Set<ReconcileRun> running = ConcurrentHashMap.newKeySet();

  /**
   * Stops the current {@code up}/{@code down}/{@code stop} from scheduling more work (Ctrl-C):
   * waits for dependencies and health end at their next poll, engine calls in flight finish, and
   * the call in progress throws a {@link ReconcileException} with {@code reason}. Safe from any
   * thread; does nothing when nothing runs.
   */
  public void cancel(String reason) {
    running.forEach(r -> r.cancel(reason));
  }

  /**
   * Executes an {@code up} plan.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  public void up(Plan plan) {
    try (ReconcileRun run = newRun()) {
      Map<String, String> imageIds = images(plan, run);
      run.throwIfFailed();
      run.parallel(plan.networks().stream().<Runnable>map(s -> () -> network(s, run)).toList());
      run.parallel(plan.volumes().stream().<Runnable>map(s -> () -> volume(s, run)).toList());
      run.throwIfFailed();
      if (plan.options().removeOrphans()) {
        run.parallel(plan.orphans().stream().<Runnable>map(c -> () -> run.guarded(c.name(), () -> teardown.stopAndRemove(c, false, run))).toList());
        run.throwIfFailed();
      }
      Map<String, String> refs = new ConcurrentHashMap<>(existingContainers(plan));
      plan.services().values().forEach(sp -> firstContainer(sp).ifPresent(n -> refs.put(sp.name(), n)));
      Map<String, CompletableFuture<Void>> tasks = new HashMap<>();
      for (String name : plan.graph().startOrder()) {
        ServicePlan sp = plan.services().get(name);
        List<CompletableFuture<Void>> deps = plan.graph().dependenciesOf(name).keySet().stream().map(tasks::get).toList();
        tasks.put(name, CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new)).handleAsync((v, ex) -> {
          if (ex != null) {
            throw new ReconcileRun.Skipped();
          }
          run.checkNotFailed();
          try {
            readiness.awaitDependencies(plan, sp, run);
            converge(plan, sp, imageIds.get(ContainerRequests.imageName(plan.project(), sp.service())), refs, run);
          } catch (ReconcileRun.Skipped s) {
            throw s;
          } catch (RuntimeException e) {
            run.fail(Kind.CONTAINER, ComposeNames.container(plan.project().name(), sp.service(), 1), ReconcileRun.message(e));
            throw new ReconcileRun.Skipped();
          }
          return null;
        }, run.executor));
      }
      ReconcileRun.joinAll(List.copyOf(tasks.values()));
      run.throwIfFailed();
      if (options.waitReady()) {
        readiness.waitReady(plan, run);
        run.throwIfFailed();
      }
    }
  }

  /**
   * The lowest-numbered container of each service the plan leaves alone ({@code --no-deps}, a
   * subset of services), for {@code service:x} references and links to them.
   */
  private Map<String, String> existingContainers(Plan plan) {
    if (plan.services().keySet().containsAll(plan.project().services().keySet())) {
      return Map.of();
    }
    Map<String, ObservedContainer> lowest = new TreeMap<>();
    List<String> filter = List.of(ComposeLabels.filter(ComposeLabels.PROJECT, plan.project().name()),
        ComposeLabels.filter(ComposeLabels.ONEOFF, ComposeLabels.FALSE));
    for (var summary : engine.listContainers(true, filter)) {
      ObservedContainer c = ObservedContainer.of(summary);
      if (c.service() != null && !plan.services().containsKey(c.service())) {
        lowest.merge(c.service(), c, (a, b) -> a.number() <= b.number() ? a : b);
      }
    }
    Map<String, String> out = new TreeMap<>();
    lowest.forEach((svc, c) -> out.put(svc, c.name()));
    return out;
  }

  private static java.util.Optional<String> firstContainer(ServicePlan sp) {
    return sp.steps().stream().filter(s -> !(s instanceof ContainerStep.Remove))
        .min(java.util.Comparator.comparingInt(ContainerStep::number))
        .map(ContainerStep::containerName);
  }

  // ---- images, networks, volumes

  /**
   * Inspects (and, by the pull policy, pulls) the images of services that get new containers.
   * {@code --pull} wins over each service's {@code pull_policy}; a service with {@code build} is
   * never pulled: its image must have been built before.
   */
  private Map<String, String> images(Plan plan, ReconcileRun run) {
    Map<String, Service> byRef = new TreeMap<>();
    plan.services().values().stream().filter(ServicePlan::replacesContainers)
        .forEach(sp -> byRef.putIfAbsent(ContainerRequests.imageName(plan.project(), sp.service()), sp.service()));
    Map<String, String> ids = new ConcurrentHashMap<>();
    run.parallel(byRef.entrySet().stream().<Runnable>map(e -> () -> {
      String ref = e.getKey();
      Service service = e.getValue();
      String policy = options.pull() != null ? options.pull() : service.pullPolicy() == null ? "missing" : service.pullPolicy();
      try {
        ImageInfo info = "always".equals(policy) && service.build() == null ? null : EngineCalls.ifPresent(() -> engine.inspectImage(ref));
        if (info == null && service.build() != null) {
          throw new EngineException(EngineException.NOT_FOUND, "image " + ref + " of service \"" + service.name()
              + "\" is not built: run `jcompose build` first");
        }
        if (info == null && "never".equals(policy)) {
          throw new EngineException(EngineException.NOT_FOUND, "No such image: " + ref + " (pull policy is never): pull it first");
        }
        if (info == null) {
          run.emit(Kind.IMAGE, ref, Status.PULLING);
          engine.pullImage(ref, service.platform());
          run.emit(Kind.IMAGE, ref, Status.PULLED);
          info = engine.inspectImage(ref);
        }
        ids.put(ref, info.id());
      } catch (RuntimeException x) {
        run.fail(Kind.IMAGE, ref, ReconcileRun.message(x));
      }
    }).toList());
    return ids;
  }

  private void network(ResourceStep step, ReconcileRun run) {
    try {
      switch (step) {
        case ResourceStep.CreateNetwork c -> {
          run.emit(Kind.NETWORK, c.name(), Status.CREATING);
          try {
            engine.createNetwork(c.request());
          } catch (EngineException e) {
            if (!e.isConflict()) { // created meanwhile: fine, as Compose
              throw e;
            }
          }
          run.emit(Kind.NETWORK, c.name(), Status.CREATED);
        }
        case ResourceStep.External x -> EngineCalls.requireExisting(() -> engine.inspectNetwork(x.name()),
            "network " + x.name() + " declared as external, but could not be found: create it first");
        default -> { }
      }
    } catch (RuntimeException e) {
      run.fail(Kind.NETWORK, step.name(), ReconcileRun.message(e));
    }
  }

  private void volume(ResourceStep step, ReconcileRun run) {
    try {
      switch (step) {
        case ResourceStep.CreateVolume c -> {
          VolumeInfo existing = EngineCalls.ifPresent(() -> engine.inspectVolume(c.name()));
          if (existing != null) {
            if (!c.request().labels().get(ComposeLabels.PROJECT).equals(existing.labels().get(ComposeLabels.PROJECT))) {
              run.emit(Kind.VOLUME, c.name(), Status.WARNING, "volume \"" + c.name()
                  + "\" already exists but was not created by Docker Compose. Use `external: true` to use an existing volume");
            }
          } else {
            run.emit(Kind.VOLUME, c.name(), Status.CREATING);
            engine.createVolume(c.request());
            run.emit(Kind.VOLUME, c.name(), Status.CREATED);
          }
        }
        case ResourceStep.External x -> EngineCalls.requireExisting(() -> engine.inspectVolume(x.name()),
            "external volume \"" + x.name() + "\" not found: create it first");
        default -> { }
      }
    } catch (RuntimeException e) {
      run.fail(Kind.VOLUME, step.name(), ReconcileRun.message(e));
    }
  }

  // ---- containers

  private void converge(Plan plan, ServicePlan sp, String imageId, Map<String, String> refs, ReconcileRun run) {
    if (sp.steps().stream().anyMatch(s -> s instanceof ContainerStep.Recreate)) {
      stopRestartDependents(plan, sp.name(), run);
    }
    List<Runnable> removals = new ArrayList<>();
    List<Runnable> others = new ArrayList<>();
    for (ContainerStep step : sp.steps()) {
      switch (step) {
        case ContainerStep.Remove r -> removals.add(() -> run.guarded(r.container().name(), () -> teardown.stopAndRemove(r.container(), false, run)));
        case ContainerStep.Create c -> others.add(() -> run.guarded(c.name(), () -> create(plan, sp, c.number(), c.name(), imageId, refs, Map.of(), run)));
        case ContainerStep.Recreate r -> others.add(() -> run.guarded(r.name(), () -> recreate(plan, sp, r, imageId, refs, run)));
        case ContainerStep.Start st -> others.add(() -> run.guarded(st.container().name(), () -> start(st.container().id(), st.container().name(), run)));
        case ContainerStep.Restart r -> others.add(() -> run.guarded(r.container().name(), () -> {
          run.emit(Kind.CONTAINER, r.container().name(), Status.RESTARTING);
          engine.stopContainer(r.container().id(), options.stopTimeoutSeconds());
          engine.startContainer(r.container().id());
          run.emit(Kind.CONTAINER, r.container().name(), Status.RESTARTED);
        }));
        case ContainerStep.Keep k -> run.emit(Kind.CONTAINER, k.container().name(), k.container().running() ? Status.RUNNING : Status.CREATED);
      }
    }
    run.parallel(removals);
    run.parallel(others);
    run.checkNotFailed();
  }

  /**
   * Before a service's containers are replaced, Compose stops the containers of services that
   * depend on it with {@code restart: true}; their {@link ContainerStep.Restart} starts them again
   * once the replacement is up.
   */
  private void stopRestartDependents(Plan plan, String service, ReconcileRun run) {
    List<Runnable> stops = new ArrayList<>();
    for (Dependency d : plan.graph().dependentsOf(service)) {
      ServicePlan dependent = plan.services().get(d.service());
      if (!d.restart() || dependent == null) {
        continue;
      }
      for (ContainerStep step : dependent.steps()) {
        if (step instanceof ContainerStep.Restart r) {
          stops.add(() -> run.guarded(r.container().name(), () -> {
            run.emit(Kind.CONTAINER, r.container().name(), Status.STOPPING);
            engine.stopContainer(r.container().id(), options.stopTimeoutSeconds());
            run.emit(Kind.CONTAINER, r.container().name(), Status.STOPPED);
          }));
        }
      }
    }
    run.parallel(stops);
  }

  private String create(Plan plan, ServicePlan sp, int number, String name, String imageId, Map<String, String> refs,
      Map<String, String> inherited, ReconcileRun run) {
    run.emit(Kind.CONTAINER, name, Status.CREATING);
    ContainerCreateRequest req = request(plan, sp, number, name, imageId, refs, inherited);
    String id = engine.createContainer(req);
    run.emit(Kind.CONTAINER, name, Status.CREATED);
    if (sp.start()) {
      start(id, name, run);
    }
    return id;
  }

  private ContainerCreateRequest request(Plan plan, ServicePlan sp, int number, String name, String imageId, Map<String, String> refs,
      Map<String, String> inherited) {
    return ContainerRequests.forService(new ContainerContext(plan.project(), sp.service(), number, name, sp.configHash(), imageId,
        refs, inherited)).withExtraLabels(plan.options().extraLabels());
  }

  private void start(String id, String name, ReconcileRun run) {
    run.emit(Kind.CONTAINER, name, Status.STARTING);
    engine.startContainer(id);
    run.emit(Kind.CONTAINER, name, Status.STARTED);
  }

  /** Compose's recreate: create {@code <old short id>_<name>}, stop and remove the old, rename, start. */
  private void recreate(Plan plan, ServicePlan sp, ContainerStep.Recreate r, String imageId, Map<String, String> refs, ReconcileRun run) {
    ObservedContainer old = r.old();
    run.emit(Kind.CONTAINER, r.name(), Status.RECREATE);
    Map<String, String> inherited = plan.options().renewAnonVolumes() ? Map.of() : anonymousVolumes(sp.service(), old);
    String temp = ComposeNames.replacement(old.shortId(), r.name());
    ContainerCreateRequest req = request(plan, sp, r.number(), r.name(), imageId, refs, inherited)
        .withName(temp).withLabel(ComposeLabels.REPLACE, old.name());
    String id = engine.createContainer(req);
    engine.stopContainer(old.id(), options.stopTimeoutSeconds());
    engine.removeContainer(old.id(), true, false);
    engine.renameContainer(id, r.name());
    run.emit(Kind.CONTAINER, r.name(), Status.RECREATED);
    if (sp.start()) {
      start(id, r.name(), run);
    }
  }

  /** The old container's volumes at the service's anonymous volume targets, to carry them over. */
  private Map<String, String> anonymousVolumes(Service service, ObservedContainer old) {
    Set<String> targets = new LinkedHashSet<>();
    for (ServiceVolume v : service.volumes()) {
      if (ServiceVolume.TYPE_VOLUME.equals(v.type()) && (v.source() == null || v.source().isEmpty())) {
        targets.add(v.target());
      }
    }
    if (targets.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    for (ContainerInspect.MountPoint m : engine.inspectContainer(old.id()).mounts()) {
      if ("volume".equals(m.type()) && targets.contains(m.destination()) && m.name() != null) {
        out.put(m.destination(), m.name());
      }
    }
    return out;
  }

  // ---- depends_on of a one-off container (Readiness)

  /**
   * Waits until the {@code depends_on} conditions of {@code service} hold on the containers of
   * an executed {@code plan} ({@code run} waits so before creating its one-off container, as
   * Compose's {@code waitDependencies}); dependencies the plan did not start are not waited for.
   *
   * @throws ReconcileException when a required dependency fails (unhealthy, exited)
   */
  public void awaitDependenciesOf(Plan plan, String service) {
    var deps = io.jcompose.planner.graph.ServiceGraph.of(plan.project(), w -> { }).dependenciesOf(service).values();
    try (ReconcileRun run = newRun()) {
      readiness.awaitDependencies(plan, deps, run);
    } catch (IllegalStateException e) {
      throw new ReconcileException(e.getMessage());
    }
  }

  // ---- down, stop (Teardown)

  /**
   * Executes a {@code down} plan: containers of each service once every service depending on it is
   * done (dependents first), then networks (skipped with a warning while still in use), then
   * volumes.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  public void down(DownPlan plan) {
    try (ReconcileRun run = newRun()) {
      teardown.down(plan, run);
    }
  }

  /**
   * Executes {@code stop}: stops the plan's running containers, dependents first, and leaves
   * networks, volumes and the containers themselves in place.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  public void stop(DownPlan plan) {
    try (ReconcileRun run = newRun()) {
      teardown.stop(plan, run);
    }
  }
}
