package io.jcompose.planner.engine;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /containers/{id}/json}, the fields the reconciler reads.
 *
 * @param id {@code Id}
 * @param name {@code Name} without its leading {@code /}
 * @param imageId {@code Image} (the image ID)
 * @param labels {@code Config.Labels}
 * @param hasHealthcheck whether {@code Config.Healthcheck} has a test other than {@code NONE}
 * @param state {@code State}
 * @param mounts {@code Mounts}
 */
public record ContainerInspect(String id, String name, String imageId, Map<String, String> labels, boolean hasHealthcheck, State state, List<MountPoint> mounts) {
  public ContainerInspect {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /**
   * {@code State}.
   *
   * @param status {@code created|running|paused|restarting|removing|exited|dead}
   * @param running {@code Running}
   * @param restarting {@code Restarting}
   * @param exitCode {@code ExitCode}
   * @param error {@code Error}
   * @param health {@code Health.Status}: {@code none|starting|healthy|unhealthy}, or {@code null}
   */
  public record State(String status, boolean running, boolean restarting, int exitCode, String error, String health) {
    /** Health status {@code healthy}. */
    public static final String HEALTHY = "healthy";
    /** Health status {@code unhealthy}. */
    public static final String UNHEALTHY = "unhealthy";
  }

  /**
   * One of {@code Mounts}.
   *
   * @param type {@code Type}: {@code bind}, {@code volume}, {@code tmpfs}
   * @param name {@code Name} (volumes)
   * @param source {@code Source}
   * @param destination {@code Destination}
   */
  public record MountPoint(String type, String name, String source, String destination) {}
}
