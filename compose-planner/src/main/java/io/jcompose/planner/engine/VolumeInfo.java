package io.jcompose.planner.engine;

import java.util.Map;

/**
 * A volume as {@code GET /volumes}, {@code GET /volumes/{name}} and {@code POST /volumes/create}
 * return it.
 *
 * @param name {@code Name}
 * @param driver {@code Driver}
 * @param labels {@code Labels}
 */
public record VolumeInfo(String name, String driver, Map<String, String> labels) {
  public VolumeInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
