package io.jcompose.planner.observe;

import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.ContainerSummary;

/**
 * A container of the project as its Compose labels describe it.
 *
 * @param id the engine's id
 * @param name the container name
 * @param service the {@code com.docker.compose.service} label
 * @param number the {@code com.docker.compose.container-number} label, 0 when absent (one-offs)
 * @param oneOff whether {@code com.docker.compose.oneoff} is {@code True} ({@code run} containers)
 * @param configHash the {@code com.docker.compose.config-hash} label, or {@code null}
 * @param summary what the engine listed
 */
public record ObservedContainer(String id, String name, String service, int number, boolean oneOff, String configHash, ContainerSummary summary) {

  /** Reads the Compose labels of a listed container. */
  public static ObservedContainer of(ContainerSummary c) {
    var l = c.labels();
    int number = 0;
    String n = l.get(ComposeLabels.CONTAINER_NUMBER);
    if (n != null) {
      try {
        number = Integer.parseInt(n.trim());
      } catch (NumberFormatException e) {
        number = 0; // a label someone else wrote: treated as unnumbered
      }
    }
    return new ObservedContainer(c.id(), c.name(), l.get(ComposeLabels.SERVICE), number,
        ComposeLabels.TRUE.equalsIgnoreCase(l.get(ComposeLabels.ONEOFF)), l.get(ComposeLabels.CONFIG_HASH), c);
  }

  /** Whether the container's process runs. */
  public boolean running() {
    return summary.isRunning();
  }

  /** The engine's state word ({@code running}, {@code exited}, {@code created}, ...). */
  public String state() {
    return summary.state();
  }

  /** The first 12 characters of the id, as Docker shows it. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
