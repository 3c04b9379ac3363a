package io.jcompose.model.print;

import io.jcompose.model.Always;
import io.jcompose.model.BuildConfig;
import io.jcompose.model.Internal;
import io.jcompose.model.Project;
import io.jcompose.model.Ulimit;
import io.jcompose.model.validate.Binder;
import io.jcompose.model.validate.GoDuration;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the model into the ordered tree {@code docker compose config} prints: record components
 * in declaration order (which is compose-go's field order), map keys sorted, zero values omitted
 * where Compose omits them, durations and byte sizes in Compose's text forms. The YAML and JSON
 * printers emit this tree.
 */
final class CanonicalTree {
  /** Byte sizes print as quoted decimal strings (compose-go's UnitBytes). */
  private static final Set<String> BYTE_FIELDS =
      Set.of("memLimit", "memReservation", "memswapLimit", "memSwappiness", "shmSize", "memory", "size", "rate");
  /** float32 fields in compose-go, printed with float32 precision. */
  private static final Set<String> FLOAT32_FIELDS = Set.of("cpus", "cpuPercent", "maxFailureRatio");
  /** Non-pointer structs in compose-go: omitted in YAML when empty, always present in JSON. */
  private static final Set<String> VALUE_STRUCTS = Set.of("resources", "placement", "ipam");
  /** Fields compose-go prints in JSON even when null. */
  private static final Set<String> JSON_ALWAYS = Set.of("command", "entrypoint");

  private final boolean json;

  private CanonicalTree(boolean json) {
    this.json = json;
  }

  /** The tree for YAML output. */
  static Map<String, Object> yaml(Project p) {
    return new CanonicalTree(false).project(p);
  }

  /** The tree for JSON output. */
  static Map<String, Object> json(Project p) {
    return new CanonicalTree(true).project(p);
  }

  /** The same tree with every mapping's keys sorted (Compose's raw model output). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> sortedDeep(Map<String, Object> tree) {
    Map<String, Object> out = new TreeMap<>();
    tree.forEach((k, v) -> out.put(k, sortedValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object sortedValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return sortedDeep((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(sortedValue(x)));
      return out;
    }
    return v;
  }

  private Map<String, Object> project(Project p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", p.name());
    Map<String, Object> services = new TreeMap<>();
    p.services().forEach((k, v) -> services.put(k, record(v)));
    out.put("services", services);
    putMap(out, "networks", p.networks());
    putMap(out, "volumes", p.volumes());
    putMap(out, "secrets", p.secrets());
    putMap(out, "configs", p.configs());
    new TreeMap<>(p.extensions()).forEach((k, v) -> out.put(k, plain(v)));
    if (json) {
      return new TreeMap<>(out);
    }
    return out;
  }

  private void putMap(Map<String, Object> out, String key, Map<String, ? extends Record> m) {
    if (m.isEmpty()) {
      return;
    }
    Map<String, Object> t = new TreeMap<>();
    m.forEach((k, v) -> t.put(k, record(v)));
    out.put(key, t);
  }

  private Map<String, Object> record(Record r) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> extensions = null;
    io.jcompose.model.RecordCopy.Shape shape = io.jcompose.model.RecordCopy.shape(r.getClass());
    RecordComponent[] comps = shape.components();
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      if (c.isAnnotationPresent(Internal.class)) {
        continue;
      }
      Object v;
      try {
        v = shape.accessors()[i].invoke(r);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String name = c.getName();
      if (name.equals("extensions")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> ext = (Map<String, Object>) v;
        extensions = ext;
        continue;
      }
      String key = Binder.keyOf(c);
      boolean always = c.isAnnotationPresent(Always.class);
      if (v == null) {
        if (json && (JSON_ALWAYS.contains(name) || always)) {
          out.put(key, null);
        }
        if (json && VALUE_STRUCTS.contains(name)) {
          out.put(key, new LinkedHashMap<>());
        }
        continue;
      }
      // Go omits zero values of plain fields; pointer fields (boxed here) print whenever set
      boolean plainField = c.getType().isPrimitive() || !(v instanceof Number || v instanceof Boolean);
      if (!always && plainField && isZero(v) && !(JSON_ALWAYS.contains(name) && v instanceof List<?>)) {
        if (json && JSON_ALWAYS.contains(name)) {
          out.put(key, v instanceof Collection<?> ? List.of() : null);
        }
        continue;
      }
      Object printed = value(v, name);
      if (!json && VALUE_STRUCTS.contains(name) && printed instanceof Map<?, ?> m && m.isEmpty()) {
        continue;
      }
      out.put(key, printed);
    }
    if (extensions != null && !json) {
      new TreeMap<>(extensions).forEach((k, v) -> out.put(k, plain(v)));
    }
    return out;
  }

  private static boolean isZero(Object v) {
    return switch (v) {
      case Boolean b -> !b;
      case Integer i -> i == 0;
      case Long l -> l == 0;
      case Double d -> d == 0.0;
      case String s -> s.isEmpty();
      case Collection<?> c -> c.isEmpty();
      case Map<?, ?> m -> m.isEmpty();
      default -> false;
    };
  }

  private Object value(Object v, String name) {
    if (BYTE_FIELDS.contains(name) && v instanceof Long l) {
      return Long.toString(l);
    }
    if (FLOAT32_FIELDS.contains(name) && v instanceof Double d) {
      return new GoFloat(d, true);
    }
    if (name.equals("extraHosts") && v instanceof Map<?, ?> hosts) {
      List<String> list = new ArrayList<>();
      hosts.forEach((h, ips) -> ((List<?>) ips).forEach(ip -> list.add(h + "=" + ip)));
      java.util.Collections.sort(list);
      return list;
    }
    return switch (v) {
      case Duration d -> GoDuration.format(d);
      case Ulimit.Single s when s.value() != 0 -> s.value();
      case Ulimit.Single s -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("soft", 0L);
        m.put("hard", 0L);
        yield m;
      }
      case Ulimit.Range r -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("soft", r.soft());
        m.put("hard", r.hard());
        yield m;
      }
      case BuildConfig.SshKey k -> k.path() == null ? k.id() : k.id() + ": " + k.path();
      case Record r -> record(r);
      case Map<?, ?> m -> {
        Map<String, Object> t = new TreeMap<>();
        m.forEach((k, x) -> t.put((String) k, x == null ? null : value(x, name)));
        yield t;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        l.forEach(x -> out.add(value(x, name)));
        yield out;
      }
      case Double d -> new GoFloat(d, false);
      default -> v;
    };
  }

  /** Extension values keep their YAML types; maps print sorted like Go maps. */
  private static Object plain(Object v) {
    return switch (v) {
      case null -> null;
      case Map<?, ?> m -> {
        Map<String, Object> t = new TreeMap<>();
        m.forEach((k, x) -> t.put((String) k, plain(x)));
        yield t;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        l.forEach(x -> out.add(plain(x)));
        yield out;
      }
      case Double d -> new GoFloat(d, false);
      default -> v;
    };
  }

  /**
   * A floating point value with Go's formatting.
   *
   * @param value the value
   * @param float32 whether Go holds it as a float32
   */
  record GoFloat(double value, boolean float32) {}
}
