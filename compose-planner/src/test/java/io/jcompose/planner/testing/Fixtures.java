package io.jcompose.planner.testing;

import io.jcompose.model.DependsOn;
import io.jcompose.model.NetworkConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.VolumeConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds model records for tests: the model's records have many components, so tests name only
 * the ones they care about and the rest get Compose's "absent" values (null, 0, false, empty).
 */
public final class Fixtures {
  private Fixtures() {}

  /** A record of type {@code type} with the given components set by name, everything else absent. */
  public static <T extends Record> T record(Class<T> type, Map<String, Object> values) {
    RecordComponent[] rc = type.getRecordComponents();
    Object[] args = new Object[rc.length];
    Class<?>[] types = new Class<?>[rc.length];
    Map<String, Object> left = new LinkedHashMap<>(values);
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
      if (left.containsKey(rc[i].getName())) {
        args[i] = left.remove(rc[i].getName());
      } else {
        args[i] = absent(types[i]);
      }
    }
    if (!left.isEmpty()) {
      throw new IllegalArgumentException("no such components in " + type.getSimpleName() + ": " + left.keySet());
    }
    try {
      Constructor<T> c = type.getDeclaredConstructor(types);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object absent(Class<?> t) {
    if (t == boolean.class) {
      return false;
    }
    if (t == int.class) {
      return 0;
    }
    if (t == long.class) {
      return 0L;
    }
    if (t == double.class) {
      return 0.0;
    }
    return null;
  }

  /** A service with an image and the given extra components ({@code key, value, key, value...}). */
  public static Service service(String name, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("image", "busybox");
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return record(Service.class, m);
  }

  /** {@code depends_on} entries: service name to condition, required, restart false. */
  public static Map<String, DependsOn> dependsOn(String... serviceConditionPairs) {
    Map<String, DependsOn> m = new LinkedHashMap<>();
    for (int i = 0; i < serviceConditionPairs.length; i += 2) {
      m.put(serviceConditionPairs[i], new DependsOn(serviceConditionPairs[i + 1], false, Map.of(), true));
    }
    return m;
  }

  /** A project named {@code name} in {@code /srv/name}, with a default network and the services. */
  public static Project project(String name, Service... services) {
    return project(name, List.of(services), List.of(), Map.of());
  }

  /** A project with services, disabled services and top-level volumes (keys, names {@code <project>_<key>}). */
  public static Project project(String name, List<Service> services, List<Service> disabled, Map<String, VolumeConfig> volumes) {
    Map<String, Service> s = new LinkedHashMap<>();
    services.forEach(x -> s.put(x.name(), x));
    Map<String, Service> d = new LinkedHashMap<>();
    disabled.forEach(x -> d.put(x.name(), x));
    Map<String, NetworkConfig> networks = new LinkedHashMap<>();
    networks.put("default", record(NetworkConfig.class, Map.of("name", name + "_default")));
    return new Project(name, "/srv/" + name, s, networks, volumes, Map.of(), Map.of(), Map.of(),
        List.of("/srv/" + name + "/compose.yaml"), Map.of(), d, new ArrayList<>());
  }
}
