package io.jcompose.planner.plan;

import io.jcompose.model.Project;
import io.jcompose.planner.graph.ServiceGraph;
import io.jcompose.planner.observe.ObservedContainer;
import java.util.List;
import java.util.Map;

/**
 * What {@code up} will do: networks and volumes first, then each service's containers in
 * dependency order ({@link #graph()}), parallel where the graph allows. Orphans are removed only
 * with {@code --remove-orphans}; otherwise they are reported in {@link #warnings()}.
 *
 * @param project the desired project
 * @param graph the services this plan touches and their dependencies
 * @param networks network steps
 * @param volumes volume steps
 * @param services per service, in start order
 * @param orphans containers of services no longer in the project
 * @param options the options the plan was made with
 * @param warnings lines to show the user before starting
 */
public record Plan(
    Project project,
    ServiceGraph graph,
    List<ResourceStep> networks,
    List<ResourceStep> volumes,
    Map<String, ServicePlan> services,
    List<ObservedContainer> orphans,
    UpOptions options,
    List<String> warnings) {
  public Plan {
    networks = List.copyOf(networks);
    volumes = List.copyOf(volumes);
    services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    orphans = List.copyOf(orphans);
    warnings = List.copyOf(warnings);
  }

  /** Whether running the plan changes nothing (every container kept, nothing to create or remove). */
  public boolean isNoop() {
    return services.values().stream().allMatch(ServicePlan::unchanged)
        && networks.stream().noneMatch(s -> s instanceof ResourceStep.CreateNetwork)
        && volumes.stream().noneMatch(s -> s instanceof ResourceStep.CreateVolume)
        && (!options.removeOrphans() || orphans.isEmpty());
  }
}
