package io.jcompose.planner.engine;

import java.util.Map;

/**
 * {@code POST /volumes/create}.
 *
 * @param name {@code Name}
 * @param driver {@code Driver} ({@code local} when the file says nothing)
 * @param driverOpts {@code DriverOpts}
 * @param labels {@code Labels}
 */
public record VolumeCreateRequest(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
  public VolumeCreateRequest {
    driverOpts = driverOpts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(driverOpts));
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
  }
}
