package io.jcompose.planner.plan;

import io.jcompose.planner.observe.ObservedContainer;

/** What to do with one container of a service. */
public sealed interface ContainerStep permits ContainerStep.Create, ContainerStep.Recreate, ContainerStep.OnExisting {
  /** The container number this step is about. */
  int number();

  /** The container's name once the step is done (for a removal: the name it had). */
  String containerName();

  /**
   * Create a new container (and start it unless {@code --no-start}).
   *
   * @param number its number
   * @param name its name
   */
  record Create(int number, String name) implements ContainerStep {
    @Override
    public String containerName() {
      return name;
    }
  }

  /**
   * Replace a container: create the new one under a temporary name, stop and remove the old one,
   * rename the new one (and start it unless {@code --no-start}), as Compose does.
   *
   * @param old the container replaced
   * @param number its number (kept)
   * @param name the final name
   * @param reason why: {@code config changed}, {@code forced}, {@code dependency recreated}
   */
  record Recreate(ObservedContainer old, int number, String name, String reason) implements ContainerStep {
    @Override
    public String containerName() {
      return name;
    }
  }

  /**
   * Start a stopped container that is up to date.
   *
   * @param container the container
   */
  record Start(ObservedContainer container) implements OnExisting {}

  /**
   * Restart a running container ({@code depends_on.restart: true} and its dependency was replaced).
   *
   * @param container the container
   */
  record Restart(ObservedContainer container) implements OnExisting {}

  /**
   * Leave a running, up-to-date container as it is.
   *
   * @param container the container
   */
  record Keep(ObservedContainer container) implements OnExisting {}

  /**
   * Stop and remove a container (scale down, duplicate number).
   *
   * @param container the container
   */
  record Remove(ObservedContainer container) implements OnExisting {}

  /** A step on a container that exists already. */
  sealed interface OnExisting extends ContainerStep permits Start, Restart, Keep, Remove {
    /** The container. */
    ObservedContainer container();

    @Override
    default int number() {
      return container().number();
    }

    @Override
    default String containerName() {
      return container().name();
    }
  }
}
