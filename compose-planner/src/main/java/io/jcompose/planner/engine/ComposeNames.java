package io.jcompose.planner.engine;

import io.jcompose.model.NetworkConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.VolumeConfig;

/**
 * The names Compose gives the engine objects of a project (RUNTIME-FACTS §8): containers
 * {@code <project>-<service>-<n>} or {@code container_name}, networks and volumes
 * {@code <project>_<key>} unless named or external.
 */
public final class ComposeNames {
  private ComposeNames() {}

  /** {@code <project>-<service>-<number>}, or the service's {@code container_name}. */
  public static String container(String project, Service service, int number) {
    if (service.containerName() != null && !service.containerName().isEmpty()) {
      return service.containerName();
    }
    return project + "-" + service.name() + "-" + number;
  }

  /** A one-off ({@code run}) container: {@code <project>-<service>-run-<first 12 of the slug>}. */
  public static String oneOff(String project, String service, String slug) {
    return project + "-" + service + "-run-" + slug.substring(0, 12);
  }

  /**
   * The temporary name of a replacement container while the old one still exists: Compose
   * creates {@code <old short id>_<name>}, then stops and removes the old one and renames.
   */
  public static String replacement(String oldShortId, String name) {
    return oldShortId + "_" + name;
  }

  /** The engine name of a project network: its {@code name} (the loader sets it), else {@code <project>_<key>}. */
  public static String network(Project p, String key) {
    NetworkConfig n = p.networks().get(key);
    return n != null && n.name() != null ? n.name() : p.name() + "_" + key;
  }

  /** The engine name of a project volume: its {@code name}, else {@code <project>_<key>}. */
  public static String volume(Project p, String key) {
    VolumeConfig v = p.volumes().get(key);
    return v != null && v.name() != null ? v.name() : p.name() + "_" + key;
  }
}
