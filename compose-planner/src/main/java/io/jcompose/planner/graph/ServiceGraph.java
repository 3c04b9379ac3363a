package io.jcompose.planner.graph;

import io.jcompose.model.DependsOn;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.EdgeReversedGraph;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * The dependency graph of a project's services. An edge {@code a → b} means "a needs b": b starts
 * before a and stops after it. Edges come from {@code depends_on}, {@code links},
 * {@code network_mode}/{@code ipc}/{@code pid: service:x} and {@code volumes_from}.
 *
 * <p>Immutable once built; {@link #of(Project, Consumer)} rejects cycles and missing required
 * dependencies with a {@link DependencyException} whose message names the problem the way
 * Compose does ({@code dependency cycle detected: a -> b -> a}).
 */
public final class ServiceGraph {
  private final Graph<String, DefaultEdge> graph;
  private final Map<String, Map<String, Dependency>> dependencies;

  private ServiceGraph(Graph<String, DefaultEdge> graph, Map<String, Map<String, Dependency>> dependencies) {
    this.graph = graph;
    this.dependencies = dependencies;
  }

  /**
   * Builds the graph of the project's enabled services.
   *
   * @param project the project
   * @param warnings receives one line per skipped optional dependency ({@code required: false} on
   *     a missing or disabled service)
   * @throws DependencyException on a cycle or a missing required dependency
   */
  public static ServiceGraph of(Project project, Consumer<String> warnings) {
    Map<String, Map<String, Dependency>> deps = new LinkedHashMap<>();
    for (Service s : project.services().values()) {
      Map<String, Dependency> mine = new LinkedHashMap<>();
      for (Map.Entry<String, DependsOn> e : s.dependsOn().entrySet()) {
        DependsOn d = e.getValue();
        String condition = d.condition() == null ? DependsOn.SERVICE_STARTED : d.condition();
        add(project, s, mine, new Dependency(s.name(), e.getKey(), Dependency.Kind.DEPENDS_ON, condition, d.restart(), d.required()), warnings);
      }
      for (String link : s.links()) {
        int colon = link.indexOf(':');
        String target = colon < 0 ? link : link.substring(0, colon);
        add(project, s, mine, started(s, target, Dependency.Kind.LINK), warnings);
      }
      serviceRef(s.networkMode()).ifPresent(t -> add(project, s, mine, started(s, t, Dependency.Kind.NETWORK_MODE), warnings));
      serviceRef(s.ipc()).ifPresent(t -> add(project, s, mine, started(s, t, Dependency.Kind.IPC), warnings));
      serviceRef(s.pid()).ifPresent(t -> add(project, s, mine, started(s, t, Dependency.Kind.PID), warnings));
      for (String from : s.volumesFrom()) {
        volumesFromService(from).ifPresent(t -> add(project, s, mine, started(s, t, Dependency.Kind.VOLUMES_FROM), warnings));
      }
      deps.put(s.name(), mine);
    }
    Graph<String, DefaultEdge> g = GraphTypeBuilder.<String, DefaultEdge>directed()
        .allowingMultipleEdges(false).allowingSelfLoops(true).edgeClass(DefaultEdge.class).buildGraph();
    deps.keySet().forEach(g::addVertex);
    deps.forEach((svc, ds) -> ds.keySet().forEach(d -> g.addEdge(svc, d)));
    findCycle(deps).ifPresent(cycle -> {
      throw new DependencyException("dependency cycle detected: " + String.join(" -> ", cycle));
    });
    return new ServiceGraph(g, freeze(deps));
  }

  private static Dependency started(Service s, String target, Dependency.Kind kind) {
    return new Dependency(s.name(), target, kind, DependsOn.SERVICE_STARTED, false, true);
  }

  private static void add(Project project, Service s, Map<String, Dependency> mine, Dependency d, Consumer<String> warnings) {
    if (mine.containsKey(d.dependency())) {
      return;
    }
    if (!project.services().containsKey(d.dependency())) {
      boolean disabled = project.disabledServices().containsKey(d.dependency());
      if (!d.required()) {
        warnings.accept("optional dependency \"" + d.dependency() + "\" of service \"" + s.name() + "\" is "
            + (disabled ? "disabled by its profiles" : "not defined") + ": ignored");
        return;
      }
      throw new DependencyException("service \"" + s.name() + "\" depends on " + (disabled ? "disabled" : "undefined")
          + " service \"" + d.dependency() + "\": " + (disabled
              ? "enable one of its profiles (--profile) or set required: false"
              : "define it or remove the dependency"));
    }
    mine.put(d.dependency(), d);
  }

  /** The service named by {@code service:x}, if the value has that form. */
  static Optional<String> serviceRef(String value) {
    if (value != null && value.startsWith("service:")) {
      return Optional.of(value.substring("service:".length()));
    }
    return Optional.empty();
  }

  /**
   * The service a {@code volumes_from} entry names: {@code x}, {@code x:ro}, {@code service:x[:mode]};
   * {@code container:name[:mode]} names a container outside the project and gives nothing.
   */
  public static Optional<String> volumesFromService(String entry) {
    if (entry.startsWith("container:")) {
      return Optional.empty();
    }
    String rest = entry.startsWith("service:") ? entry.substring("service:".length()) : entry;
    int colon = rest.indexOf(':');
    return Optional.of(colon < 0 ? rest : rest.substring(0, colon));
  }

  /** A cycle as a path {@code a, b, a}, found by depth-first search in name order (deterministic). */
  private static Optional<List<String>> findCycle(Map<String, Map<String, Dependency>> deps) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the stack, 2 = done
    Deque<String> path = new ArrayDeque<>();
    for (String start : new TreeSet<>(deps.keySet())) {
      List<String> c = dfs(start, deps, state, path);
      if (c != null) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static List<String> dfs(String v, Map<String, Map<String, Dependency>> deps, Map<String, Integer> state, Deque<String> path) {
    Integer st = state.get(v);
    if (st != null && st == 2) {
      return null;
    }
    if (st != null) {
      List<String> onStack = new ArrayList<>(path);
      List<String> cycle = new ArrayList<>(onStack.subList(onStack.indexOf(v), onStack.size()));
      cycle.add(v);
      return cycle;
    }
    state.put(v, 1);
    path.addLast(v);
    for (String d : deps.getOrDefault(v, Map.of()).keySet()) {
      List<String> c = dfs(d, deps, state, path);
      if (c != null) {
        return c;
      }
    }
    path.removeLast();
    state.put(v, 2);
    return null;
  }

  private static Map<String, Map<String, Dependency>> freeze(Map<String, Map<String, Dependency>> deps) {
    Map<String, Map<String, Dependency>> out = new LinkedHashMap<>();
    deps.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    return Collections.unmodifiableMap(out);
  }

  /** The services in the graph, in name order. */
  public Set<String> services() {
    return Collections.unmodifiableSet(new TreeSet<>(graph.vertexSet()));
  }

  /** Whether the service is in the graph. */
  public boolean contains(String service) {
    return graph.containsVertex(service);
  }

  /** What {@code service} needs, by dependency name, in file order (only services in this graph). */
  public Map<String, Dependency> dependenciesOf(String service) {
    return dependencies.getOrDefault(service, Map.of());
  }

  /** The edges whose dependency is {@code service}: the services that need it, in name order. */
  public List<Dependency> dependentsOf(String service) {
    List<Dependency> out = new ArrayList<>();
    for (String s : services()) {
      Dependency d = dependenciesOf(s).get(service);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** Dependencies first; ties in name order. */
  public List<String> startOrder() {
    return topological(new EdgeReversedGraph<>(graph));
  }

  /** Dependents first (the reverse of {@link #startOrder()}'s relation); ties in name order. */
  public List<String> stopOrder() {
    return topological(graph);
  }

  private static List<String> topological(Graph<String, DefaultEdge> g) {
    List<String> out = new ArrayList<>();
    new TopologicalOrderIterator<>(g, Comparator.<String>naturalOrder()).forEachRemaining(out::add);
    return out;
  }

  /**
   * Start levels: level 0 has no dependencies, level n needs only services of lower levels. All
   * services of one level can start in parallel. (The reconciler does better: it starts a service
   * as soon as its own dependencies are ready; levels are for display and tests.)
   */
  public List<List<String>> startLevels() {
    Map<String, Integer> level = new HashMap<>();
    for (String s : startOrder()) {
      int l = 0;
      for (String d : dependenciesOf(s).keySet()) {
        l = Math.max(l, level.get(d) + 1);
      }
      level.put(s, l);
    }
    List<List<String>> out = new ArrayList<>();
    for (String s : new TreeSet<>(level.keySet())) {
      int l = level.get(s);
      while (out.size() <= l) {
        out.add(new ArrayList<>());
      }
      out.get(l).add(s);
    }
    return out.stream().map(List::copyOf).toList();
  }

  /**
   * The sub-graph of the given services, with their transitive dependencies when
   * {@code withDependencies} (the default of {@code up svc}); without them for {@code --no-deps}.
   * Edges to services left out are dropped.
   *
   * @throws IllegalArgumentException naming a service that is not in the graph
   */
  public ServiceGraph subset(Collection<String> selected, boolean withDependencies) {
    Set<String> keep = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String s : selected) {
      if (!contains(s)) {
        throw new IllegalArgumentException("no such service: " + s);
      }
      todo.add(s);
    }
    while (!todo.isEmpty()) {
      String s = todo.poll();
      if (keep.add(s) && withDependencies) {
        todo.addAll(dependenciesOf(s).keySet());
      }
    }
    Graph<String, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
    Map<String, Map<String, Dependency>> deps = new LinkedHashMap<>();
    keep.forEach(g::addVertex);
    for (String s : keep) {
      Map<String, Dependency> mine = new LinkedHashMap<>();
      dependenciesOf(s).forEach((d, dep) -> {
        if (keep.contains(d)) {
          mine.put(d, dep);
          g.addEdge(s, d);
        }
      });
      deps.put(s, mine);
    }
    return new ServiceGraph(g, freeze(deps));
  }

  /** All services {@code service} needs, directly or not. */
  public Set<String> transitiveDependencies(String service) {
    Set<String> out = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(dependenciesOf(service).keySet());
    while (!todo.isEmpty()) {
      String s = todo.poll();
      if (out.add(s)) {
        todo.addAll(dependenciesOf(s).keySet());
      }
    }
    return out;
  }
}
