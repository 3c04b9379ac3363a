package io.jcompose.model;

import java.util.Map;

/**
 * A top-level volume. The loader fills in {@link #name()}: {@code <project>_<key>} unless set,
 * or the key itself for external volumes.
 *
 * @param name the engine-side volume name
 * @param driver volume driver, or {@code null} ({@code local})
 * @param driverOpts driver options
 * @param external whether the volume exists already and is not managed by Compose
 * @param labels volume labels
 * @param extensions {@code x-*} keys
 */
public record VolumeConfig(
    String name, String driver, Map<String, String> driverOpts, boolean external, Map<String, String> labels, Map<String, Object> extensions) {
  public VolumeConfig {
    driverOpts = Extensions.freeze(driverOpts);
    labels = Extensions.freeze(labels);
    extensions = Extensions.freeze(extensions);
  }
}
