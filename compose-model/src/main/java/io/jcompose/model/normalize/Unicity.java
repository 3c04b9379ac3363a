package io.jcompose.model.normalize;

import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.Scalar;
import io.jcompose.model.load.Node.SeqNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Removes duplicate entries from merged sequences, as Compose does after each merge: an entry
 * with the same key as an earlier one replaces it in place (for example the second
 * {@code FOO=2} replaces {@code FOO=1}, a volume with the same target replaces the earlier one).
 */
public final class Unicity {
  private Unicity() {}

  /** Applies the rules to a whole project tree in place. */
  public static void apply(MapNode root) {
    if (root.get("services") instanceof MapNode services) {
      for (Node s : services.entries().values()) {
        if (s instanceof MapNode svc) {
          service(svc);
        }
      }
    }
    if (root.get("networks") instanceof MapNode nets) {
      for (Node n : nets.entries().values()) {
        if (n instanceof MapNode net) {
          dedupe(net, "labels", Unicity::keyValue);
        }
      }
    }
  }

  private static void service(MapNode svc) {
    for (String k : List.of("annotations", "cap_add", "cap_drop", "dns", "dns_opt", "dns_search", "environment", "labels", "links", "profiles", "sysctls", "tmpfs")) {
      dedupe(svc, k, Unicity::keyValue);
    }
    dedupe(svc, "expose", n -> Trees.text(n));
    dedupe(svc, "env_file", n -> n instanceof MapNode m ? Trees.text(m.get("path")) : Trees.text(n));
    dedupe(svc, "configs", n -> mount(n, ""));
    dedupe(svc, "secrets", n -> mount(n, "/run/secrets"));
    dedupe(svc, "volumes", Unicity::volume);
    dedupe(svc, "devices", Unicity::device);
    dedupe(svc, "ports", Unicity::port);
    if (svc.get("build") instanceof MapNode build) {
      for (String k : List.of("args", "additional_contexts", "extra_hosts", "platforms", "tags", "labels")) {
        dedupe(build, k, Unicity::keyValue);
      }
    }
    if (svc.get("deploy") instanceof MapNode deploy) {
      dedupe(deploy, "labels", Unicity::keyValue);
    }
    if (svc.get("networks") instanceof MapNode nets) {
      for (Node n : nets.entries().values()) {
        if (n instanceof MapNode net) {
          dedupe(net, "aliases", Unicity::keyValue);
          dedupe(net, "link_local_ips", Unicity::keyValue);
        }
      }
    }
  }

  private static void dedupe(MapNode parent, String key, Function<Node, String> indexer) {
    if (!(parent.get(key) instanceof SeqNode seq)) {
      return;
    }
    List<Node> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Node item : seq.items()) {
      String k = indexer.apply(item);
      if (k == null) {
        out.add(item);
        continue;
      }
      Integer at = seen.get(k);
      if (at != null) {
        out.set(at, item);
      } else {
        seen.put(k, out.size());
        out.add(item);
      }
    }
    seq.items().clear();
    seq.items().addAll(out);
  }

  private static String keyValue(Node n) {
    String t = Trees.text(n);
    if (t == null) {
      return null;
    }
    int eq = t.indexOf('=');
    return eq < 0 ? t : t.substring(0, eq);
  }

  private static String mount(Node n, String defaultPath) {
    if (n instanceof MapNode m) {
      String target = Trees.text(m.get("target"));
      return target != null ? target : defaultPath + "/" + Trees.text(m.get("source"));
    }
    String t = Trees.text(n);
    return t == null ? null : defaultPath + "/" + t;
  }

  private static String volume(Node n) {
    if (n instanceof MapNode m) {
      return Trees.text(m.get("target"));
    }
    String t = Trees.text(n);
    if (t == null) {
      return null;
    }
    try {
      return VolumeSyntax.parse(t).target();
    } catch (IllegalArgumentException e) {
      return null; // reported by the canonical stage with its position
    }
  }

  private static String device(Node n) {
    if (n instanceof MapNode m) {
      return Trees.text(m.get("target"));
    }
    String t = Trees.text(n);
    if (t == null) {
      return null;
    }
    String[] parts = t.split(":", -1);
    return parts.length >= 2 ? parts[1] : parts[0];
  }

  private static String port(Node n) {
    if (n instanceof MapNode m) {
      String target = Trees.text(m.get("target"));
      String published = Trees.text(m.get("published"));
      String host = Trees.text(m.get("host_ip"));
      String proto = Trees.text(m.get("protocol"));
      return (host == null ? "0.0.0.0" : host) + ":" + (published == null ? "<nil>" : published) + ":" + target + "/" + (proto == null ? "tcp" : proto);
    }
    return n instanceof Scalar s ? s.kind() + s.text() : null;
  }
}
