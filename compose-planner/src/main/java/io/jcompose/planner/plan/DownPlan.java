package io.jcompose.planner.plan;

import io.jcompose.planner.observe.ObservedContainer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code down} will do. A service's containers are stopped and removed (in parallel) once
 * every service that depends on it is done; then networks (skipped with a warning while other
 * containers are still attached), then volumes.
 *
 * @param project the project name
 * @param containers containers to stop and remove, by service
 * @param dependencies for each service in {@code containers}, the services it depends on (they
 *     stop after it)
 * @param networks network names to remove
 * @param volumes volume names to remove
 * @param options the options
 * @param warnings lines to show the user
 */
public record DownPlan(
    String project,
    Map<String, List<ObservedContainer>> containers,
    Map<String, Set<String>> dependencies,
    List<String> networks,
    List<String> volumes,
    DownOptions options,
    List<String> warnings) {
  public DownPlan {
    containers = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(containers));
    dependencies = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dependencies));
    networks = List.copyOf(networks);
    volumes = List.copyOf(volumes);
    warnings = List.copyOf(warnings);
  }

  /** Services in stop order: dependents first (a deterministic sequential order). */
  public List<String> stopOrder() {
    List<String> out = new java.util.ArrayList<>();
    Set<String> left = new java.util.TreeSet<>(containers.keySet());
    while (!left.isEmpty()) {
      String next = left.stream()
          .filter(s -> left.stream().noneMatch(o -> dependencies.getOrDefault(o, Set.of()).contains(s)))
          .findFirst().orElseThrow();
      out.add(next);
      left.remove(next);
    }
    return out;
  }
}
