package io.jcompose.planner.engine;

import java.util.Map;
import java.util.Set;

/**
 * A network as {@code GET /networks} and {@code GET /networks/{id}} return it, the fields the
 * planner reads.
 *
 * @param id {@code Id}
 * @param name {@code Name}
 * @param driver {@code Driver}
 * @param labels {@code Labels}
 * @param containers the ids of {@code Containers} (only filled by inspect)
 */
public record NetworkInfo(String id, String name, String driver, Map<String, String> labels, Set<String> containers) {
  public NetworkInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    containers = containers == null ? Set.of() : Set.copyOf(containers);
  }
}
