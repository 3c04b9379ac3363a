package io.jcompose.planner.plan;

import io.jcompose.model.Service;
import java.util.List;

/**
 * The steps for one service's containers. The reconciler runs the removals first, then the other
 * steps in parallel.
 *
 * @param service the service as desired
 * @param configHash its config hash (written to new containers)
 * @param steps one step per container, removals first, then by number
 * @param start whether containers are started ({@code false} under {@code --no-start})
 */
public record ServicePlan(Service service, String configHash, List<ContainerStep> steps, boolean start) {
  public ServicePlan {
    steps = List.copyOf(steps);
  }

  /** The service name. */
  public String name() {
    return service.name();
  }

  /** Whether a container of this service is created or replaced. */
  public boolean replacesContainers() {
    return steps.stream().anyMatch(s -> s instanceof ContainerStep.Create || s instanceof ContainerStep.Recreate);
  }

  /** Whether every step is {@link ContainerStep.Keep}: nothing to do. */
  public boolean unchanged() {
    return steps.stream().allMatch(s -> s instanceof ContainerStep.Keep);
  }
}
