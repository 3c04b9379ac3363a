package io.jcompose.planner.reconcile;

import io.jcompose.model.DependsOn;
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
import io.jcompose.planner.engine.NetworkInfo;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

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

  /**
   * @param engine the engine port
   * @param listener receives progress events (from several threads)
   * @param options how to execute
   */
  public Reconciler(Engine engine, ProgressListener listener, ReconcileOptions options) {
    this.engine = engine;
    this.listener = listener;
    this.options = options;
  }

  /** Thrown inside a task that was skipped because something else failed first. */
  private static final class Skipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skipped() {
      super(null, null, false, false);
    }
  }

  private final java.util.Set<Run> running = ConcurrentHashMap.newKeySet();

  /**
   * Stops the current {@code up}/{@code down}/{@code stop} from scheduling more work (Ctrl-C):
   * waits for dependencies and health end at their next poll, engine calls in flight finish, and
   * the call in progress throws a {@link ReconcileException} with {@code reason}. Safe from any
   * thread; does nothing when nothing runs.
   */
  public void cancel(String reason) {
    running.forEach(r -> r.failure.compareAndSet(null, reason));
  }

  /** One run: the first failure and the executor. */
  private final class Run implements AutoCloseable {
    final AtomicReference<String> failure = new AtomicReference<>();
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    Run() {
      running.add(this);
    }

    /** Records the first failure (later ones are only reported as events). */
    void fail(Kind kind, String name, String message) {
      listener.onEvent(new ProgressEvent(kind, name, Status.ERROR, message));
      failure.compareAndSet(null, message);
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

    @Override
    public void close() {
      executor.close();
      running.remove(this);
    }
  }

  private static void joinAll(List<CompletableFuture<Void>> fs) {
    for (CompletableFuture<Void> f : fs) {
      try {
        f.join();
      } catch (CompletionException e) {
        // recorded in Run.failure by the task itself, or a skip
      }
    }
  }

  private void emit(Kind kind, String name, Status status) {
    listener.onEvent(new ProgressEvent(kind, name, status, ""));
  }

  private void emit(Kind kind, String name, Status status, String message) {
    listener.onEvent(new ProgressEvent(kind, name, status, message));
  }

  /**
   * Executes an {@code up} plan.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  public void up(Plan plan) {
    try (Run run = new Run()) {
      Map<String, String> imageIds = images(plan, run);
      run.throwIfFailed();
      run.parallel(plan.networks().stream().<Runnable>map(s -> () -> network(s, run)).toList());
      run.parallel(plan.volumes().stream().<Runnable>map(s -> () -> volume(s, run)).toList());
      run.throwIfFailed();
      if (plan.options().removeOrphans()) {
        run.parallel(plan.orphans().stream().<Runnable>map(c -> () -> guarded(run, c.name(), () -> stopAndRemove(c, false))).toList());
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
            throw new Skipped();
          }
          run.checkNotFailed();
          try {
            awaitDependencies(plan, sp, run);
            converge(plan, sp, imageIds.get(ContainerRequests.imageName(plan.project(), sp.service())), refs, run);
          } catch (Skipped s) {
            throw s;
          } catch (RuntimeException e) {
            run.fail(Kind.CONTAINER, ComposeNames.container(plan.project().name(), sp.service(), 1), message(e));
            throw new Skipped();
          }
          return null;
        }, run.executor));
      }
      joinAll(List.copyOf(tasks.values()));
      run.throwIfFailed();
      if (options.waitReady()) {
        waitReady(plan, run);
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

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private void guarded(Run run, String container, Runnable r) {
    run.checkNotFailed();
    try {
      r.run();
    } catch (Skipped s) {
      throw s;
    } catch (RuntimeException e) {
      run.fail(Kind.CONTAINER, container, message(e));
    }
  }

  // ---- images, networks, volumes

  /**
   * Inspects (and, by the pull policy, pulls) the images of services that get new containers.
   * {@code --pull} wins over each service's {@code pull_policy}; a service with {@code build} is
   * never pulled: its image must have been built before.
   */
  private Map<String, String> images(Plan plan, Run run) {
    Map<String, Service> byRef = new TreeMap<>();
    plan.services().values().stream().filter(ServicePlan::replacesContainers)
        .forEach(sp -> byRef.putIfAbsent(ContainerRequests.imageName(plan.project(), sp.service()), sp.service()));
    Map<String, String> ids = new ConcurrentHashMap<>();
    run.parallel(byRef.entrySet().stream().<Runnable>map(e -> () -> {
      String ref = e.getKey();
      Service service = e.getValue();
      String policy = options.pull() != null ? options.pull() : service.pullPolicy() == null ? "missing" : service.pullPolicy();
      try {
        ImageInfo info = "always".equals(policy) && service.build() == null ? null : ifPresent(() -> engine.inspectImage(ref));
        if (info == null && service.build() != null) {
          throw new EngineException(EngineException.NOT_FOUND, "image " + ref + " of service \"" + service.name()
              + "\" is not built: run `jcompose build` first");
        }
        if (info == null && "never".equals(policy)) {
          throw new EngineException(EngineException.NOT_FOUND, "No such image: " + ref + " (pull policy is never): pull it first");
        }
        if (info == null) {
          emit(Kind.IMAGE, ref, Status.PULLING);
          engine.pullImage(ref, service.platform());
          emit(Kind.IMAGE, ref, Status.PULLED);
          info = engine.inspectImage(ref);
        }
        ids.put(ref, info.id());
      } catch (RuntimeException x) {
        run.fail(Kind.IMAGE, ref, message(x));
      }
    }).toList());
    return ids;
  }

  private void network(ResourceStep step, Run run) {
    try {
      switch (step) {
        case ResourceStep.CreateNetwork c -> {
          emit(Kind.NETWORK, c.name(), Status.CREATING);
          try {
            engine.createNetwork(c.request());
          } catch (EngineException e) {
            if (!e.isConflict()) { // created meanwhile: fine, as Compose
              throw e;
            }
          }
          emit(Kind.NETWORK, c.name(), Status.CREATED);
        }
        case ResourceStep.External x -> requireExisting(() -> engine.inspectNetwork(x.name()),
            "network " + x.name() + " declared as external, but could not be found: create it first");
        default -> { }
      }
    } catch (RuntimeException e) {
      run.fail(Kind.NETWORK, step.name(), message(e));
    }
  }

  private void volume(ResourceStep step, Run run) {
    try {
      switch (step) {
        case ResourceStep.CreateVolume c -> {
          VolumeInfo existing = ifPresent(() -> engine.inspectVolume(c.name()));
          if (existing != null) {
            if (!c.request().labels().get(ComposeLabels.PROJECT).equals(existing.labels().get(ComposeLabels.PROJECT))) {
              emit(Kind.VOLUME, c.name(), Status.WARNING, "volume \"" + c.name()
                  + "\" already exists but was not created by Docker Compose. Use `external: true` to use an existing volume");
            }
          } else {
            emit(Kind.VOLUME, c.name(), Status.CREATING);
            engine.createVolume(c.request());
            emit(Kind.VOLUME, c.name(), Status.CREATED);
          }
        }
        case ResourceStep.External x -> requireExisting(() -> engine.inspectVolume(x.name()),
            "external volume \"" + x.name() + "\" not found: create it first");
        default -> { }
      }
    } catch (RuntimeException e) {
      run.fail(Kind.VOLUME, step.name(), message(e));
    }
  }

  /** The call's result, or {@code null} when the engine answers 404. */
  private static <T> T ifPresent(java.util.function.Supplier<T> call) {
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
  private static void requireExisting(java.util.function.Supplier<?> inspect, String message) {
    if (ifPresent(inspect) == null) {
      throw new EngineException(EngineException.NOT_FOUND, message);
    }
  }

  // ---- dependencies

  /** Waits until every dependency of {@code sp} meets its {@code depends_on} condition. */
  private void awaitDependencies(Plan plan, ServicePlan sp, Run run) {
    awaitDependencies(plan, plan.graph().dependenciesOf(sp.name()).values(), run);
  }

  /**
   * Waits until the {@code depends_on} conditions of {@code service} hold on the containers of
   * an executed {@code plan} ({@code run} waits so before creating its one-off container, as
   * Compose's {@code waitDependencies}); dependencies the plan did not start are not waited for.
   *
   * @throws ReconcileException when a required dependency fails (unhealthy, exited)
   */
  public void awaitDependenciesOf(Plan plan, String service) {
    var deps = io.jcompose.planner.graph.ServiceGraph.of(plan.project(), w -> { }).dependenciesOf(service).values();
    try (Run run = new Run()) {
      awaitDependencies(plan, deps, run);
    } catch (IllegalStateException e) {
      throw new ReconcileException(e.getMessage());
    }
  }

  private void awaitDependencies(Plan plan, java.util.Collection<Dependency> dependencies, Run run) {
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
          emit(Kind.CONTAINER, container, Status.WARNING, "optional dependency \"" + d.dependency() + "\" failed to start: "
              + e.getMessage().replaceFirst("^dependency failed to start: ", ""));
        }
      }
    }
  }

  /** The names the service's containers have once the plan ran (removed ones left out). */
  private static List<String> containerNames(ServicePlan sp) {
    return sp.steps().stream().filter(s -> !(s instanceof ContainerStep.Remove)).map(ContainerStep::containerName).toList();
  }

  private void awaitHealthy(String container, Run run) {
    emit(Kind.CONTAINER, container, Status.WAITING);
    while (true) {
      run.checkNotFailed();
      ContainerInspect i = engine.inspectContainer(container);
      if (!i.hasHealthcheck()) {
        throw new IllegalStateException("dependency failed to start: container " + container + " has no healthcheck configured");
      }
      if (ContainerInspect.State.HEALTHY.equals(i.state().health())) {
        emit(Kind.CONTAINER, container, Status.HEALTHY);
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

  private void awaitCompleted(String service, String container, Run run) {
    emit(Kind.CONTAINER, container, Status.WAITING);
    while (true) {
      run.checkNotFailed();
      ContainerInspect i = engine.inspectContainer(container);
      if (!i.state().running() && !i.state().restarting() && !"created".equals(i.state().status())) {
        if (i.state().exitCode() != 0) {
          throw new IllegalStateException("service \"" + service + "\" didn't complete successfully: exit " + i.state().exitCode());
        }
        emit(Kind.CONTAINER, container, Status.EXITED);
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

  // ---- containers

  private void converge(Plan plan, ServicePlan sp, String imageId, Map<String, String> refs, Run run) {
    if (sp.steps().stream().anyMatch(s -> s instanceof ContainerStep.Recreate)) {
      stopRestartDependents(plan, sp.name(), run);
    }
    List<Runnable> removals = new ArrayList<>();
    List<Runnable> others = new ArrayList<>();
    for (ContainerStep step : sp.steps()) {
      switch (step) {
        case ContainerStep.Remove r -> removals.add(() -> guarded(run, r.container().name(), () -> stopAndRemove(r.container(), false)));
        case ContainerStep.Create c -> others.add(() -> guarded(run, c.name(), () -> create(plan, sp, c.number(), c.name(), imageId, refs, Map.of())));
        case ContainerStep.Recreate r -> others.add(() -> guarded(run, r.name(), () -> recreate(plan, sp, r, imageId, refs)));
        case ContainerStep.Start st -> others.add(() -> guarded(run, st.container().name(), () -> start(st.container().id(), st.container().name())));
        case ContainerStep.Restart r -> others.add(() -> guarded(run, r.container().name(), () -> {
          emit(Kind.CONTAINER, r.container().name(), Status.RESTARTING);
          engine.stopContainer(r.container().id(), options.stopTimeoutSeconds());
          engine.startContainer(r.container().id());
          emit(Kind.CONTAINER, r.container().name(), Status.RESTARTED);
        }));
        case ContainerStep.Keep k -> emit(Kind.CONTAINER, k.container().name(), k.container().running() ? Status.RUNNING : Status.CREATED);
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
  private void stopRestartDependents(Plan plan, String service, Run run) {
    List<Runnable> stops = new ArrayList<>();
    for (Dependency d : plan.graph().dependentsOf(service)) {
      ServicePlan dependent = plan.services().get(d.service());
      if (!d.restart() || dependent == null) {
        continue;
      }
      for (ContainerStep step : dependent.steps()) {
        if (step instanceof ContainerStep.Restart r) {
          stops.add(() -> guarded(run, r.container().name(), () -> {
            emit(Kind.CONTAINER, r.container().name(), Status.STOPPING);
            engine.stopContainer(r.container().id(), options.stopTimeoutSeconds());
            emit(Kind.CONTAINER, r.container().name(), Status.STOPPED);
          }));
        }
      }
    }
    run.parallel(stops);
  }

  private String create(Plan plan, ServicePlan sp, int number, String name, String imageId, Map<String, String> refs,
      Map<String, String> inherited) {
    emit(Kind.CONTAINER, name, Status.CREATING);
    ContainerCreateRequest req = request(plan, sp, number, name, imageId, refs, inherited);
    String id = engine.createContainer(req);
    emit(Kind.CONTAINER, name, Status.CREATED);
    if (sp.start()) {
      start(id, name);
    }
    return id;
  }

  private ContainerCreateRequest request(Plan plan, ServicePlan sp, int number, String name, String imageId, Map<String, String> refs,
      Map<String, String> inherited) {
    return ContainerRequests.forService(new ContainerContext(plan.project(), sp.service(), number, name, sp.configHash(), imageId,
        refs, inherited)).withExtraLabels(plan.options().extraLabels());
  }

  private void start(String id, String name) {
    emit(Kind.CONTAINER, name, Status.STARTING);
    engine.startContainer(id);
    emit(Kind.CONTAINER, name, Status.STARTED);
  }

  /** Compose's recreate: create {@code <old short id>_<name>}, stop and remove the old, rename, start. */
  private void recreate(Plan plan, ServicePlan sp, ContainerStep.Recreate r, String imageId, Map<String, String> refs) {
    ObservedContainer old = r.old();
    emit(Kind.CONTAINER, r.name(), Status.RECREATE);
    Map<String, String> inherited = plan.options().renewAnonVolumes() ? Map.of() : anonymousVolumes(sp.service(), old);
    String temp = ComposeNames.replacement(old.shortId(), r.name());
    ContainerCreateRequest req = request(plan, sp, r.number(), r.name(), imageId, refs, inherited)
        .withName(temp).withLabel(ComposeLabels.REPLACE, old.name());
    String id = engine.createContainer(req);
    engine.stopContainer(old.id(), options.stopTimeoutSeconds());
    engine.removeContainer(old.id(), true, false);
    engine.renameContainer(id, r.name());
    emit(Kind.CONTAINER, r.name(), Status.RECREATED);
    if (sp.start()) {
      start(id, r.name());
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

  private void stopAndRemove(ObservedContainer c, boolean removeVolumes) {
    stopAndRemove(c, removeVolumes, options.stopTimeoutSeconds());
  }

  private void stopAndRemove(ObservedContainer c, boolean removeVolumes, Integer timeoutSeconds) {
    if (c.running()) {
      emit(Kind.CONTAINER, c.name(), Status.STOPPING);
      engine.stopContainer(c.id(), timeoutSeconds);
      emit(Kind.CONTAINER, c.name(), Status.STOPPED);
    }
    emit(Kind.CONTAINER, c.name(), Status.REMOVING);
    ifPresent(() -> { // already gone: what we wanted
      engine.removeContainer(c.id(), true, removeVolumes);
      return null;
    });
    emit(Kind.CONTAINER, c.name(), Status.REMOVED);
  }

  // ---- --wait

  private void waitReady(Plan plan, Run run) {
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
          } catch (Skipped s) {
            throw s;
          } catch (RuntimeException e) {
            run.fail(Kind.CONTAINER, c, message(e));
          }
        });
      }
    }
    run.parallel(waits);
  }

  private void waitOne(String container, boolean mayExit, long deadline, Run run) {
    emit(Kind.CONTAINER, container, Status.WAITING);
    while (true) {
      run.checkNotFailed();
      ContainerInspect i = engine.inspectContainer(container);
      if (i.state().running()) {
        if (!i.hasHealthcheck()) {
          emit(Kind.CONTAINER, container, Status.RUNNING);
          return;
        }
        if (ContainerInspect.State.HEALTHY.equals(i.state().health())) {
          emit(Kind.CONTAINER, container, Status.HEALTHY);
          return;
        }
        if (ContainerInspect.State.UNHEALTHY.equals(i.state().health())) {
          throw new IllegalStateException("container " + container + " is unhealthy");
        }
      } else if (!i.state().restarting() && !"created".equals(i.state().status())) {
        if (mayExit && i.state().exitCode() == 0) {
          emit(Kind.CONTAINER, container, Status.EXITED);
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

  // ---- down

  /**
   * Executes a {@code down} plan: containers of each service once every service depending on it is
   * done (dependents first), then networks (skipped with a warning while still in use), then
   * volumes.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  public void down(DownPlan plan) {
    try (Run run = new Run()) {
      boolean removeVolumes = plan.options().removeVolumes();
      dependentsFirst(plan, run, c -> stopAndRemove(c, removeVolumes, stopTimeout(plan)));
      run.throwIfFailed();
      run.parallel(plan.networks().stream().<Runnable>map(n -> () -> removeNetwork(n, run)).toList());
      run.parallel(plan.volumes().stream().<Runnable>map(v -> () -> removeVolume(v, run)).toList());
      run.throwIfFailed();
    }
  }

  /**
   * Executes {@code stop}: stops the plan's running containers, dependents first, and leaves
   * networks, volumes and the containers themselves in place.
   *
   * @throws ReconcileException with one line for the user when anything failed
   */
  public void stop(DownPlan plan) {
    try (Run run = new Run()) {
      dependentsFirst(plan, run, c -> {
        if (c.running()) {
          emit(Kind.CONTAINER, c.name(), Status.STOPPING);
          engine.stopContainer(c.id(), stopTimeout(plan));
          emit(Kind.CONTAINER, c.name(), Status.STOPPED);
        }
      });
      run.throwIfFailed();
    }
  }

  /** {@code -t} of the plan's options, else of the reconcile options. */
  private Integer stopTimeout(DownPlan plan) {
    return plan.options().timeoutSeconds() != null ? plan.options().timeoutSeconds() : options.stopTimeoutSeconds();
  }

  /** Runs {@code action} on each container of a service once every service depending on it is done. */
  private void dependentsFirst(DownPlan plan, Run run, java.util.function.Consumer<ObservedContainer> action) {
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
            .<Runnable>map(c -> () -> guarded(run, c.name(), () -> action.accept(c))).toList());
        return null;
      }, run.executor));
    }
    joinAll(List.copyOf(tasks.values()));
  }

  private void removeNetwork(String name, Run run) {
    try {
      NetworkInfo n = ifPresent(() -> engine.inspectNetwork(name));
      if (n == null) {
        return;
      }
      if (!n.containers().isEmpty()) {
        emit(Kind.NETWORK, name, Status.WARNING, "Resource is still in use");
        return;
      }
      emit(Kind.NETWORK, name, Status.REMOVING);
      engine.removeNetwork(name);
      emit(Kind.NETWORK, name, Status.REMOVED);
    } catch (RuntimeException e) {
      run.fail(Kind.NETWORK, name, message(e));
    }
  }

  private void removeVolume(String name, Run run) {
    try {
      emit(Kind.VOLUME, name, Status.REMOVING);
      ifPresent(() -> {
        engine.removeVolume(name, false);
        return null;
      });
      emit(Kind.VOLUME, name, Status.REMOVED);
    } catch (RuntimeException e) {
      run.fail(Kind.VOLUME, name, message(e));
    }
  }
}
