package io.jcompose.planner.engine;

import java.util.Map;

/**
 * One entry of {@code GET /containers/json} (Docker's container.Summary), the fields the planner
 * reads.
 *
 * @param id {@code Id}
 * @param name the first of {@code Names} without its leading {@code /}
 * @param image {@code Image}
 * @param state {@code State}: {@code created}, {@code running}, {@code paused},
 *     {@code restarting}, {@code removing}, {@code exited}, {@code dead}
 * @param status {@code Status}, e.g. {@code Up 3 minutes (healthy)}
 * @param labels {@code Labels}
 * @param created {@code Created}, unix seconds
 */
public record ContainerSummary(String id, String name, String image, String state, String status, Map<String, String> labels, long created) {
  public ContainerSummary {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** Whether the container's process runs ({@code running}, {@code restarting} or {@code paused}). */
  public boolean isRunning() {
    return "running".equals(state) || "restarting".equals(state) || "paused".equals(state);
  }
}
