package io.jcompose.planner.plan;

import io.jcompose.model.NetworkConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceNetwork;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.VolumeConfig;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.ComposeNames;
import io.jcompose.planner.engine.ContainerContext;
import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.planner.engine.NetworkCreateRequest;
import io.jcompose.planner.engine.OneOff;
import io.jcompose.planner.engine.VolumeCreateRequest;
import io.jcompose.planner.graph.DependencyException;
import io.jcompose.planner.graph.ServiceGraph;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.observe.ObservedState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes what {@code up} must do from the desired project and what the engine holds: a pure
 * function (no engine calls), so every decision is testable on its own. See {@code docs/planner.md}.
 */
public final class Planner {
  private Planner() {}

  /**
   * The plan of {@code up}/{@code create}.
   *
   * @throws DependencyException on a dependency cycle or a missing required dependency
   * @throws IllegalArgumentException on an unknown service name or an impossible scale
   */
  public static Plan up(Project project, ObservedState observed, UpOptions options) {
    return up(project, observed, options, Map.of());
  }

  /**
   * The plan of {@code up} after images were (re)built: as compose does, a container whose
   * {@code com.docker.compose.image} label names another image than its service's new one is
   * recreated ({@code image changed}) unless {@code --no-recreate}.
   *
   * @param images the image id each service's containers must run, for the services whose
   *     image is known (e.g. just built); others are judged by their config only
   * @throws DependencyException on a dependency cycle or a missing required dependency
   * @throws IllegalArgumentException on an unknown service name or an impossible scale
   */
  public static Plan up(Project project, ObservedState observed, UpOptions options, Map<String, String> images) {
    List<String> warnings = new ArrayList<>();
    ServiceGraph all = ServiceGraph.of(project, warnings::add);
    for (String s : options.scale().keySet()) {
      if (!project.services().containsKey(s)) {
        throw new IllegalArgumentException("no such service: " + s);
      }
    }
    List<String> selected = options.services().isEmpty() ? List.copyOf(all.services()) : options.services();
    ServiceGraph graph = all.subset(selected, !options.noDeps());
    Set<String> targeted = new HashSet<>(selected);

    Set<String> enabled = project.services().keySet();
    List<ObservedContainer> orphans = observed.orphans(union(enabled, project.disabledServices().keySet()));
    if (!orphans.isEmpty() && !options.removeOrphans()) {
      warnings.add(orphanWarning(orphans));
    }

    Map<String, ServicePlan> services = new LinkedHashMap<>();
    Set<String> replaced = new HashSet<>();
    for (String name : graph.startOrder()) {
      Service service = project.service(name);
      Recreate policy = targeted.contains(name) ? options.recreate() : options.recreateDependencies();
      ServicePlan sp = servicePlan(project, service, graph, observed.containersOf(name), policy,
          options.scale().getOrDefault(name, service.replicas()), replaced, !options.noStart(), images.get(name));
      if (sp.steps().stream().anyMatch(s -> s instanceof ContainerStep.Recreate)) {
        replaced.add(name);
      }
      services.put(name, sp);
    }
    return new Plan(project, graph, networkSteps(project, observed, options.extraLabels()),
        volumeSteps(project, observed, options.extraLabels()), services, orphans, options, warnings);
  }

  /**
   * What {@code run} does before creating its one-off container (Compose's {@code prepareRun}):
   * the project's networks and volumes, and unless {@code noDeps} the service's dependencies
   * (transitively) converged as {@code up} would converge them. The service itself is not in it.
   *
   * @throws IllegalArgumentException naming an unknown service
   * @throws DependencyException on a dependency cycle
   */
  public static Plan run(Project project, ObservedState observed, String service, boolean noDeps, boolean removeOrphans) {
    project.service(service);
    ServiceGraph all = ServiceGraph.of(project, w -> { });
    List<String> deps = noDeps ? List.of() : List.copyOf(all.dependenciesOf(service).keySet());
    if (!deps.isEmpty()) {
      return up(project, observed, UpOptions.defaults().withServices(deps).withRemoveOrphans(removeOrphans));
    }
    List<ObservedContainer> orphans = observed.orphans(union(project.services().keySet(), project.disabledServices().keySet()));
    List<String> warnings = orphans.isEmpty() || removeOrphans ? List.of() : List.of(orphanWarning(orphans));
    return new Plan(project, all.subset(List.of(), false), networkSteps(project, observed, Map.of()), volumeSteps(project, observed, Map.of()),
        Map.of(), orphans, UpOptions.defaults().withServices(List.of(service)).withRemoveOrphans(removeOrphans), warnings);
  }

  /**
   * The create request of a one-off container of {@code service}: {@code service:x} references
   * and links go to the lowest-numbered container of each other service the engine holds.
   *
   * @param observed what the engine holds after {@link #run} was carried out
   * @param name the container's name: {@code --name}, else {@link ComposeNames#oneOff}
   * @param imageId the image's ID for {@code com.docker.compose.image}, or {@code null}
   */
  public static ContainerCreateRequest oneOff(Project project, ObservedState observed, String service, OneOff run, String name,
      String imageId) {
    Map<String, String> refs = new TreeMap<>();
    observed.byService().forEach((svc, cs) -> cs.stream().min(java.util.Comparator.comparingInt(ObservedContainer::number))
        .ifPresent(c -> refs.put(svc, c.name())));
    Service s = project.service(service);
    return ContainerRequests.forOneOff(new ContainerContext(project, s, 0, name, ConfigHash.of(s), imageId, refs, Map.of()), run);
  }

  /** Compose's warning about orphans, word for word. */
  private static String orphanWarning(List<ObservedContainer> orphans) {
    return "Found orphan containers (" + orphans.stream().map(ObservedContainer::name).toList()
        + ") for this project. If you removed or renamed this service in your compose file, you can run this command"
        + " with the --remove-orphans flag to clean it up.";
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static ServicePlan servicePlan(Project project, Service service, ServiceGraph graph, List<ObservedContainer> existing,
      Recreate policy, int replicas, Set<String> replaced, boolean start, String image) {
    if (replicas < 0) {
      throw new IllegalArgumentException("service \"" + service.name() + "\": scale must not be negative (" + replicas + ")");
    }
    if (replicas > 1 && service.containerName() != null && !service.containerName().isEmpty()) {
      throw new IllegalArgumentException("service \"" + service.name() + "\": can't scale to " + replicas
          + " containers with container_name \"" + service.containerName() + "\" (names must be unique): remove container_name");
    }
    String hash = ConfigHash.of(service);
    List<ContainerStep> removals = new ArrayList<>();
    // one container per number: the one with the expected name wins, extras (interrupted recreate) go
    Map<Integer, ObservedContainer> byNumber = new TreeMap<>();
    for (ObservedContainer c : existing) {
      ObservedContainer other = byNumber.get(c.number());
      if (other == null || (c.number() > 0 && c.name().equals(ComposeNames.container(project.name(), service, c.number()))
          && !other.name().equals(c.name()))) {
        if (other != null) {
          removals.add(new ContainerStep.Remove(other));
        }
        byNumber.put(c.number(), c);
      } else {
        removals.add(new ContainerStep.Remove(c));
      }
    }
    // scale down as Compose: containers that would be recreated go first, then the highest
    // numbers, so the lowest numbers keep running
    List<ObservedContainer> kept = new ArrayList<>(byNumber.values());
    Comparator<ObservedContainer> keepFirst = Comparator
        .<ObservedContainer, Boolean>comparing(c -> policy == Recreate.FORCE || (policy == Recreate.DIVERGED && !hash.equals(c.configHash())))
        .thenComparingInt(ObservedContainer::number);
    kept.sort(keepFirst);
    while (kept.size() > replicas) {
      removals.add(new ContainerStep.Remove(kept.removeLast()));
    }
    kept.sort(Comparator.comparingInt(ObservedContainer::number));
    boolean dependencyReplaced = graph.dependenciesOf(service.name()).values().stream()
        .anyMatch(d -> d.kind().sharesContainer() && replaced.contains(d.dependency()));
    boolean restartForDependency = graph.dependenciesOf(service.name()).values().stream()
        .anyMatch(d -> d.restart() && replaced.contains(d.dependency()));
    List<ContainerStep> steps = new ArrayList<>(removals);
    Set<Integer> used = new HashSet<>();
    for (ObservedContainer c : kept) {
      used.add(c.number());
      int number = c.number() > 0 ? c.number() : lowestFree(used);
      used.add(number);
      String name = ComposeNames.container(project.name(), service, number);
      String reason = null;
      if (policy == Recreate.FORCE) {
        reason = "forced";
      } else if (policy == Recreate.DIVERGED && !hash.equals(c.configHash())) {
        reason = "config changed";
      } else if (policy == Recreate.DIVERGED && image != null && !image.equals(c.summary().labels().get(ComposeLabels.IMAGE))) {
        reason = "image changed";
      } else if (policy != Recreate.NEVER && dependencyReplaced) {
        reason = "dependency recreated";
      } else if (policy != Recreate.NEVER && !c.name().equals(name)) {
        reason = "name"; // left under a temporary name by an interrupted recreate
      }
      if (reason != null) {
        steps.add(new ContainerStep.Recreate(c, number, name, reason));
      } else if (!c.running() && start) {
        steps.add(new ContainerStep.Start(c));
      } else if (c.running() && restartForDependency) {
        steps.add(new ContainerStep.Restart(c));
      } else {
        steps.add(new ContainerStep.Keep(c));
      }
    }
    // scale up as Compose: numbers continue after the highest number seen (removed ones included)
    int next = existing.stream().mapToInt(ObservedContainer::number).max().orElse(0) + 1;
    for (int i = kept.size(); i < replicas; i++) {
      int number = next++;
      steps.add(new ContainerStep.Create(number, ComposeNames.container(project.name(), service, number)));
    }
    return new ServicePlan(service, hash, steps, start);
  }

  private static int lowestFree(Set<Integer> used) {
    int n = 1;
    while (used.contains(n)) {
      n++;
    }
    return n;
  }

  /** The network keys the enabled services use (explicitly or the implicit {@code default}). */
  static Set<String> usedNetworks(Project project) {
    Set<String> keys = new LinkedHashSet<>();
    for (Service s : project.services().values()) {
      for (Map.Entry<String, ServiceNetwork> e : ContainerRequests.networksByPriority(s)) {
        keys.add(e.getKey());
      }
    }
    return keys;
  }

  /** The top-level volume keys the enabled services mount. */
  static Set<String> usedVolumes(Project project) {
    Set<String> keys = new LinkedHashSet<>();
    for (Service s : project.services().values()) {
      for (ServiceVolume v : s.volumes()) {
        if (ServiceVolume.TYPE_VOLUME.equals(v.type()) && v.source() != null && !v.source().isEmpty()) {
          keys.add(v.source());
        }
      }
    }
    return keys;
  }

  private static List<ResourceStep> networkSteps(Project project, ObservedState observed, Map<String, String> extraLabels) {
    List<ResourceStep> out = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(usedNetworks(project))) {
      NetworkConfig n = project.networks().get(key);
      String name = ComposeNames.network(project, key);
      if (n != null && n.external()) {
        out.add(new ResourceStep.External(key, name, "network"));
      } else if (observed.network(key, name).isPresent()) {
        out.add(new ResourceStep.Exists(key, name, "network"));
      } else {
        out.add(new ResourceStep.CreateNetwork(key, networkRequest(project, key, n, name, extraLabels)));
      }
    }
    return out;
  }

  /** A network's or volume's own labels plus Compose's: project, key, version, config hash (when declared). */
  private static Map<String, String> resourceLabels(Project project, Map<String, String> own, String keyLabel, String key, String hash) {
    Map<String, String> labels = new TreeMap<>(own);
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(keyLabel, key);
    labels.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    if (hash != null) {
      labels.put(ComposeLabels.CONFIG_HASH, hash);
    }
    return labels;
  }

  /** The create request of a project network, with Compose's labels and {@link UpOptions#extraLabels()}. */
  static NetworkCreateRequest networkRequest(Project project, String key, NetworkConfig n, String name, Map<String, String> extraLabels) {
    Map<String, String> own = new TreeMap<>(extraLabels);
    own.putAll(n == null ? Map.of() : n.labels());
    Map<String, String> labels = resourceLabels(project, own, ComposeLabels.NETWORK, key, n == null ? null : ConfigHash.of(n));
    if (n == null) {
      return new NetworkCreateRequest(name, "bridge", false, false, null, null, Map.of(), labels, null, List.of());
    }
    List<NetworkCreateRequest.IpamPool> pools = n.ipam().config().stream()
        .map(p -> new NetworkCreateRequest.IpamPool(p.subnet(), p.ipRange(), p.gateway(), p.auxAddresses()))
        .toList();
    return new NetworkCreateRequest(name, n.driver() == null ? "bridge" : n.driver(), n.internal(), n.attachable(),
        n.enableIpv4(), n.enableIpv6(), n.driverOpts(), labels, n.ipam().driver(), pools);
  }

  private static List<ResourceStep> volumeSteps(Project project, ObservedState observed, Map<String, String> extraLabels) {
    List<ResourceStep> out = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(usedVolumes(project))) {
      VolumeConfig v = project.volumes().get(key);
      String name = ComposeNames.volume(project, key);
      if (v != null && v.external()) {
        out.add(new ResourceStep.External(key, name, "volume"));
      } else if (observed.volume(name).isPresent()) {
        out.add(new ResourceStep.Exists(key, name, "volume"));
      } else {
        Map<String, String> own = new TreeMap<>(extraLabels);
        own.putAll(v == null ? Map.of() : v.labels());
        Map<String, String> labels = resourceLabels(project, own, ComposeLabels.VOLUME, key, v == null ? null : ConfigHash.of(v));
        out.add(new ResourceStep.CreateVolume(key, new VolumeCreateRequest(name,
            v == null || v.driver() == null ? "local" : v.driver(), v == null ? Map.of() : v.driverOpts(), labels)));
      }
    }
    return out;
  }

  /**
   * The plan of {@code down}: every container of the project's services, dependents before their
   * dependencies; orphans and one-offs only with {@code --remove-orphans} (else a warning for
   * orphans); the project's own networks; volumes only with {@code -v}. Works from the engine's
   * labels alone when {@code project} is {@code null} ({@code down -p name} without a file).
   */
  public static DownPlan down(Project project, ObservedState observed, DownOptions options) {
    List<String> warnings = new ArrayList<>();
    Map<String, List<ObservedContainer>> containers = new TreeMap<>();
    Map<String, Set<String>> deps = new TreeMap<>();
    Set<String> known = project == null ? Set.of() : union(project.services().keySet(), project.disabledServices().keySet());
    ServiceGraph graph = project == null ? null : ServiceGraph.of(project, w -> {});
    List<ObservedContainer> orphans = new ArrayList<>();
    for (ObservedContainer c : observed.containers()) {
      boolean orphan = c.oneOff() || (project != null && !known.contains(c.service()));
      if (orphan && !options.removeOrphans()) {
        if (!c.oneOff()) {
          orphans.add(c);
        }
        continue;
      }
      String key = c.oneOff() ? c.service() + " (run)" : c.service();
      containers.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
    }
    if (!orphans.isEmpty()) {
      warnings.add(orphanWarning(orphans));
    }
    for (Map.Entry<String, List<ObservedContainer>> e : containers.entrySet()) {
      Set<String> mine = new LinkedHashSet<>();
      String svc = e.getKey();
      if (graph != null && graph.contains(svc)) {
        mine.addAll(graph.dependenciesOf(svc).keySet());
      } else {
        for (ObservedContainer c : e.getValue()) {
          mine.addAll(dependsOnLabel(c.summary().labels().get(ComposeLabels.DEPENDS_ON)));
        }
      }
      mine.retainAll(containers.keySet());
      mine.remove(svc);
      deps.put(svc, mine);
    }
    List<String> networks = new ArrayList<>();
    observed.networks().forEach(n -> {
      String key = n.labels().get(ComposeLabels.NETWORK);
      if (project == null || (key != null && project.networks().containsKey(key) && !project.networks().get(key).external()
          && ComposeNames.network(project, key).equals(n.name()))) {
        networks.add(n.name());
      }
    });
    List<String> volumes = new ArrayList<>();
    if (options.removeVolumes()) {
      observed.volumes().forEach(v -> {
        String key = v.labels().get(ComposeLabels.VOLUME);
        if (project == null || (key != null && project.volumes().containsKey(key) && !project.volumes().get(key).external())) {
          volumes.add(v.name());
        }
      });
    }
    return new DownPlan(observed.project(), containers, breakCycles(deps), networks, volumes, options, warnings);
  }

  /**
   * The plan of {@code stop [services]}: the containers of the named services (all when empty),
   * dependents first; nothing is removed. One-offs and orphans are left alone, as Compose does.
   *
   * @throws IllegalArgumentException naming a service that is not in the project
   */
  public static DownPlan stop(Project project, ObservedState observed, List<String> services, Integer timeoutSeconds) {
    for (String s : services) {
      project.service(s);
    }
    ServiceGraph graph = ServiceGraph.of(project, w -> {});
    Map<String, List<ObservedContainer>> containers = new TreeMap<>();
    for (String s : services.isEmpty() ? graph.services() : Set.copyOf(services)) {
      List<ObservedContainer> cs = observed.containersOf(s);
      if (!cs.isEmpty()) {
        containers.put(s, cs);
      }
    }
    Map<String, Set<String>> deps = new TreeMap<>();
    for (String s : containers.keySet()) {
      Set<String> mine = new LinkedHashSet<>(graph.dependenciesOf(s).keySet());
      mine.retainAll(containers.keySet());
      deps.put(s, mine);
    }
    return new DownPlan(observed.project(), containers, deps, List.of(), List.of(), new DownOptions(false, false, timeoutSeconds), List.of());
  }

  private static List<String> dependsOnLabel(String label) {
    List<String> out = new ArrayList<>();
    if (label != null && !label.isEmpty()) {
      for (String part : label.split(",")) {
        int colon = part.indexOf(':');
        out.add(colon < 0 ? part : part.substring(0, colon));
      }
    }
    return out;
  }

  /** Labels written by others could form a cycle; down must still finish, so such edges are dropped. */
  private static Map<String, Set<String>> breakCycles(Map<String, Set<String>> deps) {
    Map<String, Set<String>> out = new TreeMap<>();
    deps.forEach((k, v) -> out.put(k, new LinkedHashSet<>(v)));
    for (String s : out.keySet()) {
      for (String d : List.copyOf(out.get(s))) {
        if (reaches(out, d, s, new HashSet<>())) {
          out.get(s).remove(d);
        }
      }
    }
    return out;
  }

  private static boolean reaches(Map<String, Set<String>> deps, String from, String to, Set<String> seen) {
    if (from.equals(to)) {
      return true;
    }
    if (!seen.add(from)) {
      return false;
    }
    for (String d : deps.getOrDefault(from, Set.of())) {
      if (reaches(deps, d, to, seen)) {
        return true;
      }
    }
    return false;
  }
}
