package io.jcompose.planner.plan;

import java.util.List;
import java.util.Map;

/**
 * What {@code up}/{@code create} were asked for, as far as planning goes.
 *
 * @param services the services named on the command line; empty = all enabled services
 * @param noDeps {@code --no-deps}: leave the named services' dependencies alone
 * @param recreate policy for the named services ({@code --force-recreate}, {@code --no-recreate})
 * @param recreateDependencies policy for their dependencies ({@code --always-recreate-deps} = FORCE)
 * @param renewAnonVolumes {@code --renew-anon-volumes}: recreated containers get new anonymous volumes
 * @param removeOrphans {@code --remove-orphans}
 * @param scale {@code --scale svc=n}, over {@code deploy.replicas}/{@code scale}
 * @param noStart {@code --no-start} (and {@code create}): create but do not start
 * @param extraLabels labels put on every container, network and volume the plan creates, beside
 *     Compose's own (which win on a clash); the test API marks its session with them
 */
public record UpOptions(
    List<String> services,
    boolean noDeps,
    Recreate recreate,
    Recreate recreateDependencies,
    boolean renewAnonVolumes,
    boolean removeOrphans,
    Map<String, Integer> scale,
    boolean noStart,
    Map<String, String> extraLabels) {
  public UpOptions {
    extraLabels = extraLabels == null ? Map.of() : Map.copyOf(extraLabels);
    services = services == null ? List.of() : List.copyOf(services);
    scale = scale == null ? Map.of() : Map.copyOf(scale);
    recreate = recreate == null ? Recreate.DIVERGED : recreate;
    recreateDependencies = recreateDependencies == null ? Recreate.DIVERGED : recreateDependencies;
  }

  /** The options of a command line (no extra labels). */
  public UpOptions(List<String> services, boolean noDeps, Recreate recreate, Recreate recreateDependencies,
      boolean renewAnonVolumes, boolean removeOrphans, Map<String, Integer> scale, boolean noStart) {
    this(services, noDeps, recreate, recreateDependencies, renewAnonVolumes, removeOrphans, scale, noStart, Map.of());
  }

  /** Plain {@code up}: every service, recreate what diverged, keep orphans. */
  public static UpOptions defaults() {
    return new UpOptions(List.of(), false, Recreate.DIVERGED, Recreate.DIVERGED, false, false, Map.of(), false);
  }

  /** These options with other named services. */
  public UpOptions withServices(List<String> names) {
    return new UpOptions(names, noDeps, recreate, recreateDependencies, renewAnonVolumes, removeOrphans, scale, noStart, extraLabels);
  }

  /** These options with {@code --scale} settings. */
  public UpOptions withScale(Map<String, Integer> newScale) {
    return new UpOptions(services, noDeps, recreate, recreateDependencies, renewAnonVolumes, removeOrphans, newScale, noStart, extraLabels);
  }

  /** These options with a recreate policy for the named services. */
  public UpOptions withRecreate(Recreate policy) {
    return new UpOptions(services, noDeps, policy, recreateDependencies, renewAnonVolumes, removeOrphans, scale, noStart, extraLabels);
  }

  /** These options with labels for everything the plan creates ({@link #extraLabels()}). */
  public UpOptions withExtraLabels(Map<String, String> labels) {
    return new UpOptions(services, noDeps, recreate, recreateDependencies, renewAnonVolumes, removeOrphans, scale, noStart, labels);
  }

  /** These options with {@code --remove-orphans} set or not. */
  public UpOptions withRemoveOrphans(boolean remove) {
    return new UpOptions(services, noDeps, recreate, recreateDependencies, renewAnonVolumes, remove, scale, noStart, extraLabels);
  }
}
