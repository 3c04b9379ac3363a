package io.jcompose.planner.plan;

/**
 * What {@code down} was asked for.
 *
 * @param removeVolumes {@code -v}: named volumes of the project and anonymous volumes of its containers
 * @param removeOrphans {@code --remove-orphans}: also containers of services not in the file, and one-offs
 * @param timeoutSeconds {@code -t}: seconds to wait for a stop before SIGKILL, or {@code null} for each container's own
 */
public record DownOptions(boolean removeVolumes, boolean removeOrphans, Integer timeoutSeconds) {
  /** Plain {@code down}. */
  public static DownOptions defaults() {
    return new DownOptions(false, false, null);
  }
}
