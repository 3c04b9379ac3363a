package io.jcompose.planner.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Config} part of {@code POST /containers/create} (Docker's container.Config), the
 * subset Compose sets. Durations in {@link HealthConfig} are nanoseconds, as in the API.
 * {@code null} means "not set" (the image's value applies); {@link #entrypoint()} or
 * {@link #cmd()} as an empty list means "explicitly cleared".
 *
 * @param hostname {@code Hostname}
 * @param domainname {@code Domainname}
 * @param user {@code User}
 * @param exposedPorts {@code ExposedPorts} keys such as {@code 80/tcp}
 * @param tty {@code Tty}
 * @param openStdin {@code OpenStdin}
 * @param attachStdin {@code AttachStdin}: a client will attach to stdin ({@code run -i}); with
 *     {@code openStdin} the engine also sets {@code StdinOnce}, so that the client closing its
 *     stdin closes the container's (what {@code docker run -i} and compose's {@code run} do)
 * @param env {@code Env} as {@code KEY=value}
 * @param cmd {@code Cmd}
 * @param healthcheck {@code Healthcheck}, or {@code null} for the image's
 * @param entrypoint {@code Entrypoint}
 * @param image {@code Image} (the reference as written)
 * @param workingDir {@code WorkingDir}
 * @param labels {@code Labels}
 * @param stopSignal {@code StopSignal}
 * @param stopTimeout {@code StopTimeout} in seconds
 */
public record ContainerConfig(
    String hostname,
    String domainname,
    String user,
    Set<String> exposedPorts,
    boolean tty,
    boolean openStdin,
    boolean attachStdin,
    List<String> env,
    List<String> cmd,
    HealthConfig healthcheck,
    List<String> entrypoint,
    String image,
    String workingDir,
    Map<String, String> labels,
    String stopSignal,
    Integer stopTimeout) {
  public ContainerConfig {
    exposedPorts = exposedPorts == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(exposedPorts));
    env = env == null ? List.of() : List.copyOf(env);
    cmd = cmd == null ? null : List.copyOf(cmd);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
  }

  /**
   * {@code Healthcheck}: durations in nanoseconds, 0 = the engine's default.
   *
   * @param test {@code ["NONE"]}, {@code ["CMD", ...]} or {@code ["CMD-SHELL", cmd]}
   * @param interval {@code Interval}
   * @param timeout {@code Timeout}
   * @param startPeriod {@code StartPeriod}
   * @param startInterval {@code StartInterval}
   * @param retries {@code Retries}
   */
  public record HealthConfig(List<String> test, long interval, long timeout, long startPeriod, long startInterval, int retries) {
    public HealthConfig {
      test = test == null ? List.of() : List.copyOf(test);
    }
  }
}
