package io.jcompose.model.print;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceVolume;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code jcompose config} prints: the project in the canonical form of
 * {@code docker compose config} (YAML or {@code --format json}) and the lists of
 * {@code --services}, {@code --volumes}, {@code --networks}, {@code --profiles}, {@code --images}.
 * Every method returns the complete text, ending with a newline where Compose ends with one.
 */
public final class ConfigPrinter {
  private ConfigPrinter() {}

  /**
   * {@code docker compose config}: every {@code $} is written {@code $$} so the output can be
   * loaded again with the same values (as Compose does unless {@code --no-interpolate}).
   */
  public static String yaml(Project p) {
    return yaml(p, true);
  }

  /**
   * {@code docker compose config}, choosing whether {@code $} is escaped.
   *
   * @param interpolated false for {@code --no-interpolate}: values still hold expressions, so
   *     {@code $} is not escaped, and Compose prints its raw model, whose keys are all sorted
   */
  public static String yaml(Project p, boolean interpolated) {
    if (!interpolated) {
      return YamlEmitter.emit(CanonicalTree.sortedDeep(CanonicalTree.yaml(p)));
    }
    return YamlEmitter.emit(CanonicalTree.yaml(p)).replace("$", "$$");
  }

  /** {@code docker compose config --format json} ({@code $} escaped as in {@link #yaml(Project)}). */
  public static String json(Project p) {
    return json(p, true);
  }

  /** {@code docker compose config --format json}, choosing whether {@code $} is escaped. */
  public static String json(Project p, boolean escapeDollars) {
    String out = JsonEmitter.emit(CanonicalTree.json(p));
    return escapeDollars ? out.replace("$", "$$") : out;
  }

  /** {@code --services}: enabled service names, one per line, sorted. */
  public static String services(Project p) {
    return lines(p.services().keySet());
  }

  /** {@code --volumes}: named volume keys, one per line, sorted. */
  public static String volumes(Project p) {
    return lines(p.volumes().keySet());
  }

  /** {@code --networks}: network keys, one per line, sorted. */
  public static String networks(Project p) {
    return lines(p.networks().keySet());
  }

  /** {@code --profiles}: every profile named by any service (enabled or not), sorted. */
  public static String profiles(Project p) {
    Set<String> all = new TreeSet<>();
    p.services().values().forEach(s -> all.addAll(s.profiles()));
    p.disabledServices().values().forEach(s -> all.addAll(s.profiles()));
    return lines(all);
  }

  /** {@code --images}: the image of each service ({@code <project>-<service>} when only built). */
  public static String images(Project p) {
    List<String> out = new ArrayList<>();
    for (Service s : p.services().values()) {
      out.add(s.image() != null && !s.image().isEmpty() ? s.image() : p.name() + "-" + s.name());
    }
    return lines(out);
  }

  /** Named volumes a service mounts, in mount order (helper for callers that list usage). */
  public static Set<String> volumesOf(Service s) {
    Set<String> names = new LinkedHashSet<>();
    for (ServiceVolume v : s.volumes()) {
      if (ServiceVolume.TYPE_VOLUME.equals(v.type()) && v.source() != null) {
        names.add(v.source());
      }
    }
    return names;
  }

  private static String lines(Iterable<String> items) {
    StringBuilder sb = new StringBuilder();
    for (String s : items) {
      sb.append(s).append('\n');
    }
    return sb.toString();
  }
}
