package io.jcompose.model;

import java.util.Map;

/**
 * A host device given to a service (long form; {@code /dev/ttyUSB0:/dev/ttyUSB0:rwm} is
 * normalised to this, with permissions {@code rwm} by default).
 *
 * @param source the host device path
 * @param target the path in the container
 * @param permissions cgroup permissions ({@code r}, {@code w}, {@code m})
 * @param extensions {@code x-*} keys
 */
public record DeviceMapping(String source, String target, String permissions, Map<String, Object> extensions) {
  public DeviceMapping {
    extensions = Extensions.freeze(extensions);
  }
}
