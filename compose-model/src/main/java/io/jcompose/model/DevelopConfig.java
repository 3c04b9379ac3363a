package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * The {@code develop} section of a service ({@code docker compose watch}).
 *
 * @param watch the watch rules
 * @param extensions {@code x-*} keys
 */
public record DevelopConfig(List<Trigger> watch, Map<String, Object> extensions) {
  public DevelopConfig {
    watch = Extensions.freeze(watch);
    extensions = Extensions.freeze(extensions);
  }

  /**
   * One watch rule.
   *
   * @param path host path to watch (absolute)
   * @param action {@code sync}, {@code rebuild} or {@code sync+restart}
   * @param target path in the container, for sync actions
   * @param exec a command to run in the container after syncing
   * @param ignore patterns to ignore
   * @param extensions {@code x-*} keys
   */
  public record Trigger(
      @Always String path, @Always String action, String target, ServiceHook exec, List<String> ignore, Map<String, Object> extensions) {
    public Trigger {
      ignore = Extensions.freeze(ignore);
      extensions = Extensions.freeze(extensions);
    }
  }
}
