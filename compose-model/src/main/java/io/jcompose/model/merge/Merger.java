package io.jcompose.model.merge;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.Scalar;
import io.jcompose.model.load.Node.SeqNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges Compose trees the way Compose merges several {@code -f} files (and {@code extends}):
 * mappings merge key by key, sequences append, scalars are replaced, with Compose's special rules
 * per path (key/value lists such as {@code environment} or {@code labels} merge by key,
 * {@code command}/{@code entrypoint} are replaced, {@code depends_on}/{@code networks} merge as
 * mappings whatever their form) and the {@code !reset} / {@code !override} tags.
 * Duplicate entries are then removed by {@link Unicity}.
 */
public final class Merger {
  /** The tag that removes a value inherited from earlier files. */
  public static final String RESET = "!reset";
  /** The tag that replaces a value instead of merging it. */
  public static final String OVERRIDE = "!override";

  private Merger() {}

  /**
   * Merges {@code override} into {@code base}; {@code base} is modified and returned.
   *
   * @param base the tree so far (may be {@code null})
   * @param override the next file's tree
   * @return the merged tree
   */
  public static Node merge(Node base, Node override) {
    return merge(base, override, List.of());
  }

  /** Merges a service definition over its {@code extends} base (a copy of it is modified). */
  public static MapNode extendService(MapNode base, MapNode service) {
    return (MapNode) merge(base.copy(), service, List.of("services", "x"));
  }

  private static Node merge(Node base, Node over, List<String> path) {
    if (over instanceof Scalar s && s.isNull() && base != null && !RESET.equals(s.tag())) {
      return base;
    }
    if (base == null || OVERRIDE.equals(over.tag())) {
      return over.withTag(null);
    }
    Special special = special(path);
    if (special != null) {
      return special.apply(base, over, path);
    }
    return switch (base) {
      case MapNode bm -> {
        if (!(over instanceof MapNode om)) {
          throw cannotOverride(over, path);
        }
        yield mergeMappings(bm, om, path);
      }
      case SeqNode bs -> {
        if (!(over instanceof SeqNode os)) {
          throw cannotOverride(over, path);
        }
        List<Node> items = new ArrayList<>(bs.items());
        items.addAll(os.items());
        yield new SeqNode(items, bs.mark(), null);
      }
      case Scalar s -> over;
    };
  }

  private static ComposeFileException cannotOverride(Node over, List<String> path) {
    return new ComposeFileException(over.mark() + ": " + String.join(".", path) + ": cannot override " + Node.describe(over).replace("a ", "with a "));
  }

  /** Merges {@code other} into {@code mapping}, key by key. */
  public static MapNode mergeMappings(MapNode mapping, MapNode other, List<String> path) {
    for (Map.Entry<String, Node> e : other.entries().entrySet()) {
      String k = e.getKey();
      Node v = e.getValue();
      Node existing = mapping.get(k);
      if (RESET.equals(v.tag())) {
        mapping.entries().remove(k);
        continue;
      }
      if (existing == null || k.startsWith("x-")) {
        mapping.entries().put(k, v.withTag(null));
        mapping.keyMarks().put(k, other.keyMark(k));
        continue;
      }
      List<String> next = new ArrayList<>(path);
      next.add(k);
      mapping.entries().put(k, merge(existing, v, next));
    }
    return mapping;
  }

  /** Drops every {@code !reset} node of a single file (a reset with nothing to reset). */
  public static Node dropResets(Node n) {
    switch (n) {
      case MapNode m -> {
        m.entries().entrySet().removeIf(e -> RESET.equals(e.getValue().tag()));
        m.entries().replaceAll((k, v) -> dropResets(v));
        return m.tag() == null ? m : m.withTag(null);
      }
      case SeqNode s -> {
        s.items().removeIf(i -> RESET.equals(i.tag()));
        s.items().replaceAll(Merger::dropResets);
        return s.tag() == null ? s : s.withTag(null);
      }
      case Scalar s -> {
        return s.tag() == null ? s : s.withTag(null);
      }
    }
  }

  private interface Special {
    Node apply(Node base, Node over, List<String> path);
  }

  private static Special special(List<String> path) {
    int n = path.size();
    if (n < 2) {
      return null;
    }
    String top = path.get(0);
    String last = path.get(n - 1);
    if (top.equals("services") && n == 3) {
      return switch (last) {
        case "annotations", "dns", "dns_opt", "dns_search", "env_file", "label_file", "environment", "labels", "sysctls", "tmpfs" ->
            Merger::mergeToSequence;
        case "extra_hosts" -> Merger::mergeExtraHosts;
        case "command", "entrypoint" -> (b, o, p) -> o;
        case "depends_on" -> (b, o, p) -> mergeAsMappings(b, o, p, true);
        case "networks" -> (b, o, p) -> mergeAsMappings(b, o, p, false);
        case "logging" -> Merger::mergeLogging;
        case "build" -> Merger::mergeBuild;
        default -> null;
      };
    }
    if (top.equals("services") && n == 4 && path.get(2).equals("build")) {
      return switch (last) {
        case "args", "additional_contexts", "labels" -> Merger::mergeToSequence;
        case "extra_hosts" -> Merger::mergeExtraHosts;
        default -> null;
      };
    }
    if (top.equals("services") && n == 4 && path.get(2).equals("deploy") && last.equals("labels")) {
      return Merger::mergeToSequence;
    }
    if (top.equals("services") && n == 4 && path.get(2).equals("healthcheck") && last.equals("test")) {
      return (b, o, p) -> o;
    }
    if (top.equals("services") && n == 4 && path.get(2).equals("ulimits")) {
      return (b, o, p) -> o instanceof MapNode om && b instanceof MapNode bm ? mergeMappings(bm, om, p) : o;
    }
    if (top.equals("networks") && n == 4 && path.get(2).equals("ipam") && last.equals("config")) {
      return Merger::mergeIpamConfig;
    }
    if ((top.equals("networks") || top.equals("volumes")) && n == 3 && last.equals("labels")) {
      return Merger::mergeToSequence;
    }
    return null;
  }

  /** compose-go's IPAM pool merge: pools with the same subnet merge, others are added. */
  private static Node mergeIpamConfig(Node base, Node over, List<String> path) {
    if (!(base instanceof SeqNode b) || !(over instanceof SeqNode o)) {
      return over;
    }
    List<Node> pools = new ArrayList<>();
    for (Node original : b.items()) {
      if (!(original instanceof MapNode right)) {
        continue;
      }
      for (Node override : o.items()) {
        if (!(override instanceof MapNode left)) {
          continue;
        }
        String leftSubnet = text(left.get("subnet"));
        if (!leftSubnet.equals(text(right.get("subnet")))) {
          if (pools.stream().noneMatch(p -> text(((MapNode) p).get("subnet")).equals(leftSubnet))) {
            pools.add(left);
            continue;
          }
        }
        MapNode merged = mergeMappings(right, left, path);
        String subnet = text(merged.get("subnet"));
        int at = -1;
        for (int i = 0; i < pools.size(); i++) {
          if (text(((MapNode) pools.get(i)).get("subnet")).equals(subnet)) {
            at = i;
            break;
          }
        }
        if (at >= 0) {
          pools.set(at, merged);
        } else {
          pools.add(merged);
        }
      }
    }
    return new SeqNode(pools, b.mark(), null);
  }

  private static Node mergeLogging(Node base, Node over, List<String> path) {
    if (base instanceof MapNode bm && over instanceof MapNode om) {
      Node d1 = bm.get("driver");
      Node d2 = om.get("driver");
      if (d1 == null || d2 == null || text(d1).equals(text(d2))) {
        return mergeMappings(bm, om, path);
      }
      return om;
    }
    return over;
  }

  private static Node mergeBuild(Node base, Node over, List<String> path) {
    return mergeMappings(toBuild(base), toBuild(over), path);
  }

  private static MapNode toBuild(Node n) {
    if (n instanceof MapNode m) {
      return m;
    }
    MapNode m = MapNode.empty(n.mark());
    m.put("context", n);
    return m;
  }

  private static Node mergeAsMappings(Node base, Node over, List<String> path, boolean dependsOn) {
    return mergeMappings(toMapping(base, dependsOn), toMapping(over, dependsOn), path);
  }

  private static MapNode toMapping(Node n, boolean dependsOn) {
    if (n instanceof MapNode m) {
      return m;
    }
    MapNode m = MapNode.empty(n.mark());
    if (n instanceof SeqNode s) {
      for (Node item : s.items()) {
        Node value;
        if (dependsOn) {
          MapNode d = MapNode.empty(item.mark());
          d.put("condition", Scalar.string("service_started", item.mark()));
          d.put("required", new Scalar("true", Node.Kind.BOOL, item.mark(), null));
          value = d;
        } else {
          value = Scalar.nul(item.mark());
        }
        m.put(text(item), value);
      }
    }
    return m;
  }

  private static Node mergeToSequence(Node base, Node over, List<String> path) {
    SeqNode b = toSequence(base);
    SeqNode o = toSequence(over);
    List<Node> items = new ArrayList<>(b.items());
    items.addAll(o.items());
    return new SeqNode(items, b.mark(), null);
  }

  private static Node mergeExtraHosts(Node base, Node over, List<String> path) {
    SeqNode b = toSequence(base);
    SeqNode o = toSequence(over);
    List<Node> items = new ArrayList<>(b.items());
    for (Node n : o.items()) {
      boolean dup = b.items().stream().anyMatch(x -> text(x).equals(text(n)));
      if (!dup) {
        items.add(n);
      }
    }
    return new SeqNode(items, b.mark(), null);
  }

  /** A key/value mapping as the sorted {@code key=value} sequence Compose merges it as. */
  public static SeqNode toSequence(Node n) {
    return switch (n) {
      case SeqNode s -> s;
      case MapNode m -> {
        TreeMap<String, Node> sorted = new TreeMap<>();
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
          Node v = e.getValue();
          if (v instanceof SeqNode values) {
            for (Node x : values.items()) {
              String item = e.getKey() + "=" + text(x);
              sorted.put(item, Scalar.string(item, x.mark()));
            }
            continue;
          }
          String item = v instanceof Scalar s && s.isNull() ? e.getKey() : e.getKey() + "=" + text(v);
          sorted.put(item, Scalar.string(item, v.mark()));
        }
        yield new SeqNode(new ArrayList<>(sorted.values()), m.mark(), null);
      }
      case Scalar s -> new SeqNode(new ArrayList<>(List.of(s)), s.mark(), null);
    };
  }

  private static String text(Node n) {
    return n instanceof Scalar s ? s.text() : "";
  }
}
