package io.jcompose.model.validate;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.Internal;
import io.jcompose.model.Ulimit;
import io.jcompose.model.YamlKey;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.Scalar;
import io.jcompose.model.load.Node.SeqNode;
import io.jcompose.model.normalize.ShellWords;
import io.jcompose.model.normalize.Trees;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a normalised tree into the model's records, checking every key and type on the way (the
 * part of Compose's JSON-schema validation that concerns shapes): an unknown key, a list where
 * a mapping belongs, or a word where a number belongs is a {@link ComposeFileException} naming
 * file, line, column and key path. Keys of a record component are its name in snake_case, or
 * its {@link YamlKey}; {@code x-*} keys go to a component named {@code extensions}.
 */
public final class Binder {
  /** Fields holding byte sizes ({@code 1gb}, {@code 512m}, or a number of bytes). */
  private static final Set<String> BYTE_FIELDS =
      Set.of("mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "shm_size", "memory", "size", "rate");
  /** Fields where a list entry {@code KEY} without {@code =} means "unset" (null) rather than "". */
  private static final Set<String> NULLABLE_VALUE_MAPS = Set.of("environment", "args");
  private static final Map<Class<?>, RecordInfo> INFO = new ConcurrentHashMap<>();
  /** Service keys whose schema allows null (any other key given as null is rejected, as Compose does). */
  private static final Set<String> NULLABLE_SERVICE_KEYS = Set.of("command", "deploy", "develop", "entrypoint", "pid");
  /** Keys Compose 2.26.1 accepts but does not model (they are dropped, see docs/compatibility.md). */
  private static final Map<Class<?>, Set<String>> ACCEPTED_BUT_DROPPED =
      Map.of(io.jcompose.model.ServiceNetwork.class, Set.of("gw_priority"));

  private Binder() {}

  private record RecordInfo(Constructor<?> constructor, RecordComponent[] components, Map<String, Integer> byKey, int extensions, int name) {}

  /** The Compose key of a record component. */
  public static String keyOf(RecordComponent c) {
    YamlKey k = c.getAnnotation(YamlKey.class);
    return k != null ? k.value() : snake(c.getName());
  }

  private static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static RecordInfo info(Class<?> type) {
    return INFO.computeIfAbsent(
        type,
        t -> {
          RecordComponent[] comps = t.getRecordComponents();
          Class<?>[] types = new Class<?>[comps.length];
          Map<String, Integer> byKey = new LinkedHashMap<>();
          int ext = -1;
          int name = -1;
          for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            if (comps[i].getName().equals("extensions")) {
              ext = i;
            } else if (comps[i].isAnnotationPresent(Internal.class)) {
              if (comps[i].getName().equals("name")) {
                name = i;
              }
            } else {
              byKey.put(keyOf(comps[i]), i);
            }
          }
          try {
            return new RecordInfo(t.getDeclaredConstructor(types), comps, byKey, ext, name);
          } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * Binds a mapping to a record.
   *
   * @param node the mapping (a null node gives a record of defaults)
   * @param type the record class
   * @param path the key path, for errors
   * @param name the value of an {@code @Internal name} component (the key), or {@code null}
   * @param forbidden keys the schema does not allow here although the record has them
   */
  public static <T extends Record> T bindRecord(Node node, Class<T> type, String path, String name, Set<String> forbidden) {
    RecordInfo info = info(type);
    MapNode map;
    if (Trees.isNull(node)) {
      map = MapNode.empty(node == null ? io.jcompose.model.load.Mark.NONE : node.mark());
    } else if (node instanceof MapNode m) {
      map = m;
    } else {
      throw Trees.typeError(node, path, "a mapping");
    }
    Object[] args = new Object[info.components.length];
    Map<String, Object> extensions = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      String key = e.getKey();
      if (key.startsWith("x-") && info.extensions >= 0) {
        extensions.put(key, raw(e.getValue()));
        continue;
      }
      Integer idx = info.byKey.get(key);
      if (idx == null && ACCEPTED_BUT_DROPPED.getOrDefault(type, Set.of()).contains(key)) {
        continue;
      }
      if (type == io.jcompose.model.Service.class && Trees.isNull(e.getValue()) && idx != null && !NULLABLE_SERVICE_KEYS.contains(key)) {
        throw new ComposeFileException(e.getValue().mark() + ": " + path + "." + key + ": must not be null (give a value or remove the key)");
      }
      if (idx == null || forbidden.contains(key)) {
        throw new ComposeFileException(
            map.keyMark(key) + ": " + path + ": additional property " + Trees.quote(key) + " is not allowed");
      }
      RecordComponent c = info.components[idx];
      args[idx] = value(e.getValue(), c.getGenericType(), path + "." + key, key);
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null && info.components[i].getType().isPrimitive()) {
        args[i] = zero(info.components[i].getType());
      }
    }
    if (info.extensions >= 0) {
      args[info.extensions] = extensions;
    }
    if (info.name >= 0) {
      args[info.name] = name;
    }
    try {
      return type.cast(info.constructor.newInstance(args));
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof ComposeFileException cfe) {
        throw cfe;
      }
      throw new ComposeFileException(map.mark() + ": " + path + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object zero(Class<?> t) {
    if (t == boolean.class) {
      return false;
    } else if (t == int.class) {
      return 0;
    } else if (t == long.class) {
      return 0L;
    } else if (t == double.class) {
      return 0.0;
    }
    throw new IllegalStateException("no zero for " + t);
  }

  @SuppressWarnings("unchecked")
  private static Object value(Node n, Type type, String path, String key) {
    Class<?> raw = type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
    if (Trees.isNull(n) && !raw.isPrimitive() && raw != List.class && raw != Map.class) {
      return null;
    }
    if (raw == String.class) {
      return string(n, path);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return bool(n, path);
    }
    if (raw == int.class || raw == Integer.class) {
      long v = BYTE_FIELDS.contains(key) ? bytes(n, path) : integer(n, path);
      if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
        throw Trees.error(n, path, "number out of range: " + Trees.text(n));
      }
      return (int) v;
    }
    if (raw == long.class || raw == Long.class) {
      if (key.equals("count") && "all".equals(Trees.text(n))) {
        return -1L;
      }
      return BYTE_FIELDS.contains(key) ? bytes(n, path) : integer(n, path);
    }
    if (raw == double.class || raw == Double.class) {
      return number(n, path);
    }
    if (raw == Duration.class) {
      return duration(n, path);
    }
    if (raw == Ulimit.class) {
      return ulimit(n, path);
    }
    if (raw == List.class) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
      return list(n, item, path, key);
    }
    if (raw == Map.class && key.equals("extra_hosts")) {
      return extraHosts(n, path);
    }
    if (raw == Map.class) {
      Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
      return map(n, valueType, path, key);
    }
    if (raw == Object.class) {
      return raw(n);
    }
    if (raw.isRecord()) {
      if (raw == io.jcompose.model.BuildConfig.SshKey.class) {
        return sshKey(n, path);
      }
      return bindRecord(n, (Class<? extends Record>) raw, path, null, Set.of());
    }
    throw new IllegalStateException("unsupported model type " + type + " at " + path);
  }

  private static String string(Node n, String path) {
    if (n instanceof Scalar s) {
      return s.text();
    }
    throw Trees.typeError(n, path, "a string");
  }

  private static boolean bool(Node n, String path) {
    if (Trees.isNull(n)) {
      return false;
    }
    String t = Trees.text(n);
    if (t != null) {
      switch (t) {
        case "true", "True", "TRUE" -> {
          return true;
        }
        case "false", "False", "FALSE" -> {
          return false;
        }
        default -> {}
      }
    }
    throw Trees.typeError(n, path, "a boolean (true or false)");
  }

  /** Parses an integer the way Go's strconv.ParseInt(s, 0, 64) does (0x, 0o, 0b, leading 0 = octal). */
  static long parseGoInt(String t) {
    String s = t.replace("_", "");
    boolean neg = s.startsWith("-");
    if (neg || s.startsWith("+")) {
      s = s.substring(1);
    }
    long v;
    if (s.startsWith("0x") || s.startsWith("0X")) {
      v = Long.parseLong(s.substring(2), 16);
    } else if (s.startsWith("0o") || s.startsWith("0O")) {
      v = Long.parseLong(s.substring(2), 8);
    } else if (s.startsWith("0b") || s.startsWith("0B")) {
      v = Long.parseLong(s.substring(2), 2);
    } else if (s.length() > 1 && s.startsWith("0")) {
      v = Long.parseLong(s.substring(1), 8);
    } else {
      v = Long.parseLong(s);
    }
    return neg ? -v : v;
  }

  private static long integer(Node n, String path) {
    if (Trees.isNull(n)) {
      return 0;
    }
    String t = Trees.text(n);
    if (t != null) {
      try {
        return parseGoInt(t.strip());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw Trees.typeError(n, path, "an integer");
  }

  private static double number(Node n, String path) {
    if (Trees.isNull(n)) {
      return 0;
    }
    String t = Trees.text(n);
    if (t != null) {
      try {
        return Double.parseDouble(t.strip());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw Trees.typeError(n, path, "a number");
  }

  private static long bytes(Node n, String path) {
    String t = Trees.text(n);
    if (t == null) {
      throw Trees.typeError(n, path, "a byte size (e.g. 512m, 1gb)");
    }
    try {
      return ByteSize.parse(t);
    } catch (IllegalArgumentException e) {
      throw Trees.error(n, path, Trees.quote(t) + " is not a byte size (expected a number with an optional unit b, k, m, g)");
    }
  }

  private static Duration duration(Node n, String path) {
    String t = Trees.text(n);
    if (t == null) {
      throw Trees.typeError(n, path, "a duration (e.g. 30s, 1m30s)");
    }
    try {
      return GoDuration.parse(t);
    } catch (IllegalArgumentException e) {
      throw Trees.error(n, path, Trees.quote(t) + " is not a duration (expected e.g. 10s, 1m30s, 500ms)");
    }
  }

  private static Ulimit ulimit(Node n, String path) {
    if (n instanceof MapNode m) {
      for (String k : m.entries().keySet()) {
        if (!k.equals("soft") && !k.equals("hard")) {
          throw new ComposeFileException(m.keyMark(k) + ": " + path + ": additional property " + Trees.quote(k) + " is not allowed");
        }
      }
      if (m.get("soft") == null || m.get("hard") == null) {
        throw Trees.error(m, path, "a ulimit needs both soft and hard");
      }
      return new Ulimit.Range(integer(m.get("soft"), path + ".soft"), integer(m.get("hard"), path + ".hard"));
    }
    return new Ulimit.Single(integer(n, path));
  }

  private static io.jcompose.model.BuildConfig.SshKey sshKey(Node n, String path) {
    String t = string(n, path);
    int eq = t.indexOf('=');
    return eq < 0 ? new io.jcompose.model.BuildConfig.SshKey(t, null) : new io.jcompose.model.BuildConfig.SshKey(t.substring(0, eq), t.substring(eq + 1));
  }

  private static List<Object> list(Node n, Type item, String path, String key) {
    if (Trees.isNull(n)) {
      return null;
    }
    if (n instanceof Scalar s) {
      if (key.equals("command") || key.equals("entrypoint")) {
        try {
          return new ArrayList<>(ShellWords.split(s.text()));
        } catch (IllegalArgumentException e) {
          throw Trees.error(n, path, e.getMessage());
        }
      }
      if (key.equals("test")) {
        return new ArrayList<>(List.of("CMD-SHELL", s.text()));
      }
      if (item == String.class && Set.of("dns", "dns_search", "tmpfs", "cache_from", "cache_to", "tags", "platforms", "profiles", "label_file").contains(key)) {
        return new ArrayList<>(List.of(s.text()));
      }
    }
    if (key.equals("ssh") && n instanceof MapNode m) {
      List<Object> keys = new ArrayList<>();
      for (Map.Entry<String, Node> e : m.entries().entrySet()) {
        keys.add(new io.jcompose.model.BuildConfig.SshKey(e.getKey(), Trees.text(e.getValue())));
      }
      return keys;
    }
    if (!(n instanceof SeqNode seq)) {
      throw Trees.typeError(n, path, "a list");
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      Node it = seq.items().get(i);
      String p = path + "[" + i + "]";
      if (item == String.class && !(it instanceof Scalar)) {
        throw Trees.typeError(it, p, "a string");
      }
      if (item == String.class && Trees.isNull(it)) {
        throw Trees.typeError(it, p, "a string");
      }
      out.add(value(it, item, p, key));
    }
    return out;
  }

  private static Map<String, Object> extraHosts(Node n, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (Trees.isNull(n)) {
      return out;
    }
    java.util.function.BiConsumer<String, String> add = (h, ip) -> {
      @SuppressWarnings("unchecked")
      List<String> ips = (List<String>) out.computeIfAbsent(h, k -> new ArrayList<String>());
      ips.add(ip);
    };
    if (n instanceof SeqNode seq) {
      for (int i = 0; i < seq.items().size(); i++) {
        Node it = seq.items().get(i);
        String t = Trees.text(it);
        if (t == null) {
          throw Trees.typeError(it, path + "[" + i + "]", "a string HOST=IP");
        }
        int sep = t.indexOf('=');
        if (sep < 0) {
          sep = t.indexOf(':');
        }
        if (sep < 0) {
          throw Trees.error(it, path + "[" + i + "]", "invalid additional host " + Trees.quote(t) + ", expected HOST=IP or HOST:IP");
        }
        add.accept(t.substring(0, sep), t.substring(sep + 1));
      }
      return out;
    }
    if (!(n instanceof MapNode m)) {
      throw Trees.typeError(n, path, "a list or a mapping");
    }
    for (Map.Entry<String, Node> e : m.entries().entrySet()) {
      Node v = e.getValue();
      if (v instanceof SeqNode s) {
        for (Node x : s.items()) {
          add.accept(e.getKey(), string(x, path + "." + e.getKey()));
        }
      } else {
        add.accept(e.getKey(), string(v, path + "." + e.getKey()));
      }
    }
    return out;
  }

  private static Map<String, Object> map(Node n, Type valueType, String path, String key) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (Trees.isNull(n)) {
      return out;
    }
    if (valueType == String.class && n instanceof SeqNode seq) {
      for (int i = 0; i < seq.items().size(); i++) {
        Node it = seq.items().get(i);
        String t = Trees.text(it);
        if (t == null) {
          throw Trees.typeError(it, path + "[" + i + "]", "a string");
        }
        int eq = t.indexOf('=');
        if (key.equals("extra_hosts") && eq < 0) {
          eq = t.indexOf(':');
          if (eq < 0) {
            throw Trees.error(it, path + "[" + i + "]", "invalid additional host " + Trees.quote(t) + ", expected HOST:IP or HOST=IP");
          }
        }
        if (eq < 0) {
          out.put(t, NULLABLE_VALUE_MAPS.contains(key) ? null : "");
        } else {
          out.put(t.substring(0, eq), t.substring(eq + 1));
        }
      }
      return out;
    }
    if (!(n instanceof MapNode m)) {
      throw Trees.typeError(n, path, "a mapping");
    }
    for (Map.Entry<String, Node> e : m.entries().entrySet()) {
      Node v = e.getValue();
      String p = path + "." + e.getKey();
      if (valueType == String.class) {
        if (Trees.isNull(v)) {
          out.put(e.getKey(), NULLABLE_VALUE_MAPS.contains(key) ? null : "");
        } else if (v instanceof Scalar s) {
          out.put(e.getKey(), scalarText(s));
        } else {
          throw Trees.typeError(v, p, "a string, number or boolean");
        }
      } else if (valueType == Object.class) {
        out.put(e.getKey(), raw(v));
      } else {
        out.put(e.getKey(), value(v, valueType, p, e.getKey().equals("default") ? key : key));
      }
    }
    return out;
  }

  /** The text Compose gives a scalar used as a string value (numbers keep their written form). */
  private static String scalarText(Scalar s) {
    if (s.kind() == Node.Kind.FLOAT) {
      try {
        return GoFormat.floatString(Double.parseDouble(s.text()));
      } catch (NumberFormatException e) {
        return s.text();
      }
    }
    if (s.kind() == Node.Kind.INT) {
      try {
        return Long.toString(parseGoInt(s.text()));
      } catch (NumberFormatException e) {
        return s.text();
      }
    }
    if (s.kind() == Node.Kind.BOOL) {
      return s.text().toLowerCase(Locale.ROOT);
    }
    return s.text();
  }

  /**
   * A plain Java value of a node, for extensions: {@code String}, {@code Long}, {@code Double},
   * {@code Boolean}, {@code null}, {@code List} or {@code Map}.
   */
  public static Object raw(Node n) {
    return switch (n) {
      case Scalar s -> switch (s.kind()) {
        case NULL -> null;
        case BOOL -> Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
        case INT -> {
          try {
            yield parseGoInt(s.text());
          } catch (NumberFormatException e) {
            yield s.text();
          }
        }
        case FLOAT -> {
          String t = s.text().toLowerCase(Locale.ROOT);
          yield t.endsWith("inf") ? (t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : t.endsWith("nan") ? Double.NaN : Double.parseDouble(s.text());
        }
        case STRING -> s.text();
      };
      case SeqNode seq -> {
        List<Object> l = new ArrayList<>();
        seq.items().forEach(i -> l.add(raw(i)));
        yield java.util.Collections.unmodifiableList(l);
      }
      case MapNode m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> out.put(k, raw(v)));
        yield java.util.Collections.unmodifiableMap(out);
      }
    };
  }
}
