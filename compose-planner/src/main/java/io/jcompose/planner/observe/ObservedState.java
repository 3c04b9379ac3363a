package io.jcompose.planner.observe;

import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.Engine;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.engine.VolumeInfo;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the engine holds of one project, found by the label {@code com.docker.compose.project}:
 * its containers (service and one-off), networks and volumes.
 *
 * @param project the project name
 * @param containers every container labelled with the project, by number then name
 * @param networks networks labelled with the project
 * @param volumes volumes labelled with the project
 */
public record ObservedState(String project, List<ObservedContainer> containers, List<NetworkInfo> networks, List<VolumeInfo> volumes) {
  public ObservedState {
    containers = containers.stream()
        .sorted(Comparator.comparingInt(ObservedContainer::number).thenComparing(ObservedContainer::name))
        .toList();
    networks = List.copyOf(networks);
    volumes = List.copyOf(volumes);
  }

  /** Nothing of the project exists. */
  public static ObservedState empty(String project) {
    return new ObservedState(project, List.of(), List.of(), List.of());
  }

  /** Lists the project's containers (all states), networks and volumes through the engine. */
  public static ObservedState observe(Engine engine, String project) {
    List<String> filter = List.of(ComposeLabels.filter(ComposeLabels.PROJECT, project));
    return new ObservedState(project,
        engine.listContainers(true, filter).stream().map(ObservedContainer::of).toList(),
        engine.listNetworks(filter),
        engine.listVolumes(filter));
  }

  /** The service containers (not one-offs) by service name, each list by container number. */
  public Map<String, List<ObservedContainer>> byService() {
    return containers.stream().filter(c -> !c.oneOff() && c.service() != null)
        .collect(Collectors.groupingBy(ObservedContainer::service, TreeMap::new, Collectors.toList()));
  }

  /** The service containers (not one-offs) of one service, by container number. */
  public List<ObservedContainer> containersOf(String service) {
    return byService().getOrDefault(service, List.of());
  }

  /** One-off ({@code run}) containers. */
  public List<ObservedContainer> oneOffs() {
    return containers.stream().filter(ObservedContainer::oneOff).toList();
  }

  /**
   * Service containers whose service is not among {@code services} (Compose's orphans: the service
   * was removed from the file, or is disabled by its profiles).
   */
  public List<ObservedContainer> orphans(Collection<String> services) {
    return containers.stream().filter(c -> !c.oneOff() && !services.contains(c.service())).toList();
  }

  /** The project network with this key ({@code com.docker.compose.network}) and engine name, if any. */
  public java.util.Optional<NetworkInfo> network(String key, String name) {
    return networks.stream()
        .filter(n -> name.equals(n.name()) && key.equals(n.labels().get(ComposeLabels.NETWORK)))
        .findFirst();
  }

  /** The project volume with this engine name, if any. */
  public java.util.Optional<VolumeInfo> volume(String name) {
    return volumes.stream().filter(v -> name.equals(v.name())).findFirst();
  }
}
