package io.jcompose.model.normalize;

import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.Scalar;
import io.jcompose.model.load.Node.SeqNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fills in what Compose fills in after merging: build defaults, secret targets, absolute paths,
 * the {@code default} network, resource names ({@code <project>_<key>}), implicit
 * {@code depends_on} from {@code links}, {@code network_mode: service:x}, {@code volumes_from},
 * and environment values taken from the shell for bare {@code KEY} entries.
 */
public final class Normalizer {
  private Normalizer() {}

  /** Compose's defaults that do not depend on the project ({@code SetDefaultValues}). */
  public static void defaults(MapNode root) {
    forEachService(
        root,
        (name, svc) -> {
          if (svc.get("build") instanceof MapNode b && b.get("context") == null) {
            b.put("context", Trees.str(".", b.mark()));
          }
          if (svc.get("gpus") instanceof SeqNode gpus) {
            gpus.items().forEach(Normalizer::deviceRequestDefaults);
          }
          if (svc.get("deploy") instanceof MapNode d
              && d.get("resources") instanceof MapNode r
              && r.get("reservations") instanceof MapNode res
              && res.get("devices") instanceof SeqNode devs) {
            devs.items().forEach(Normalizer::deviceRequestDefaults);
          }
          if (svc.get("secrets") instanceof SeqNode seq) {
            for (Node n : seq.items()) {
              if (n instanceof MapNode m && m.get("target") == null) {
                m.put("target", Trees.str("/run/secrets/" + Trees.text(m.get("source")), m.mark()));
              }
            }
          }
        });
  }

  private static void deviceRequestDefaults(Node n) {
    if (n instanceof MapNode m && m.get("count") == null && m.get("device_ids") == null) {
      m.put("count", Trees.str("all", m.mark()));
    }
  }

  /**
   * Makes relative paths absolute against the project directory.
   *
   * @param root the tree
   * @param workingDir the project directory
   * @param home the user's home, for {@code ~}
   */
  public static void resolvePaths(MapNode root, Path workingDir, String home) {
    Function<String, String> abs = p -> absolute(p, workingDir, home);
    forEachService(
        root,
        (name, svc) -> {
          if (svc.get("build") instanceof MapNode b) {
            replaceText(b, "context", c -> isRemoteContext(c) ? c : abs.apply(c));
            if (b.get("additional_contexts") instanceof MapNode ac) {
              for (String k : List.copyOf(ac.entries().keySet())) {
                replaceText(ac, k, c -> isRemoteContext(c) ? c : abs.apply(c));
              }
            }
          }
          if (svc.get("env_file") instanceof SeqNode seq) {
            for (Node n : seq.items()) {
              if (n instanceof MapNode m) {
                replaceText(m, "path", abs);
              }
            }
          }
          if (svc.get("label_file") instanceof SeqNode lf) {
            List<Node> items = lf.items();
            for (int i = 0; i < items.size(); i++) {
              String t = Trees.text(items.get(i));
              if (t != null) {
                items.set(i, Trees.str(abs.apply(t), items.get(i).mark()));
              }
            }
          } else if (Trees.text(svc.get("label_file")) != null) {
            replaceText(svc, "label_file", abs);
          }
          if (svc.get("extends") instanceof MapNode ext) {
            replaceText(ext, "file", abs);
          }
          if (svc.get("develop") instanceof MapNode dev && dev.get("watch") instanceof SeqNode watch) {
            for (Node n : watch.items()) {
              if (n instanceof MapNode m) {
                replaceText(m, "path", abs);
              }
            }
          }
          if (svc.get("volumes") instanceof SeqNode seq) {
            for (Node n : seq.items()) {
              if (n instanceof MapNode m && "bind".equals(Trees.text(m.get("type")))) {
                replaceText(m, "source", abs);
              }
            }
          }
        });
    for (String kind : List.of("configs", "secrets")) {
      if (root.get(kind) instanceof MapNode all) {
        for (Node n : all.entries().values()) {
          if (n instanceof MapNode m) {
            replaceText(m, "file", abs);
          }
        }
      }
    }
    if (root.get("volumes") instanceof MapNode vols) {
      for (Node n : vols.entries().values()) {
        if (n instanceof MapNode v
            && "local".equals(Trees.text(v.get("driver")))
            && v.get("driver_opts") instanceof MapNode opts
            && "bind".equals(Trees.text(opts.get("o")))) {
          replaceText(opts, "device", abs);
        }
      }
    }
  }

  /** Compose's {@code Normalize}: default network, names, implicit dependencies, environment. */
  public static void normalize(MapNode root, String projectName, Function<String, String> env) {
    MapNode networks = root.get("networks") instanceof MapNode n ? n : MapNode.empty(root.mark());
    if (networks.get("default") == null) {
      networks.put("default", Scalar.nul(root.mark()));
    }
    root.put("networks", networks);
    forEachService(
        root,
        (name, svc) -> {
          if (svc.get("networks") == null && svc.get("network_mode") == null) {
            MapNode m = MapNode.empty(svc.mark());
            m.put("default", Scalar.nul(svc.mark()));
            svc.put("networks", m);
          }
          if ("if_not_present".equals(Trees.text(svc.get("pull_policy")))) {
            svc.put("pull_policy", Trees.str("missing", svc.get("pull_policy").mark()));
          }
          if (svc.get("build") instanceof MapNode b) {
            if (Trees.isNull(b.get("dockerfile")) && Trees.isNull(b.get("dockerfile_inline"))) {
              b.put("dockerfile", Trees.str("Dockerfile", b.mark()));
            }
            resolveNulls(b.get("args"), env, true);
          }
          resolveNulls(svc.get("environment"), env, false);
          MapNode dependsOn = svc.get("depends_on") instanceof MapNode d ? d : MapNode.empty(svc.mark());
          if (svc.get("links") instanceof SeqNode links) {
            for (Node l : links.items()) {
              String link = String.valueOf(Trees.text(l));
              String[] parts = link.split(":", -1);
              if (parts.length == 2) {
                link = parts[0];
              }
              implicitDependency(dependsOn, link, true, l.mark());
            }
          }
          for (String ns : List.of("network_mode", "ipc", "pid", "uts", "cgroup")) {
            String ref = Trees.text(svc.get(ns));
            if (ref != null && ref.startsWith("service:")) {
              implicitDependency(dependsOn, ref.substring("service:".length()), true, svc.get(ns).mark());
            }
          }
          if (svc.get("volumes_from") instanceof SeqNode vf) {
            for (Node v : vf.items()) {
              String ref = String.valueOf(Trees.text(v));
              if (!ref.startsWith("container:")) {
                implicitDependency(dependsOn, ref.split(":", -1)[0], false, v.mark());
              }
            }
          }
          if (!dependsOn.entries().isEmpty()) {
            svc.put("depends_on", dependsOn);
          }
        });
    for (String kind : List.of("networks", "volumes", "configs", "secrets")) {
      if (!(root.get(kind) instanceof MapNode all)) {
        continue;
      }
      for (Map.Entry<String, Node> e : all.entries().entrySet()) {
        MapNode r = e.getValue() instanceof MapNode m ? m : MapNode.empty(e.getValue().mark());
        if (Trees.isNull(r.get("name"))) {
          boolean external = isTrue(r.get("external"));
          r.put("name", Trees.str(external ? e.getKey() : projectName + "_" + e.getKey(), r.mark()));
        }
        e.setValue(r);
      }
    }
  }

  private static void implicitDependency(MapNode dependsOn, String service, boolean restart, Mark mark) {
    if (dependsOn.get(service) == null) {
      MapNode d = MapNode.empty(mark);
      d.put("condition", Trees.str("service_started", mark));
      d.put("restart", Trees.bool(restart, mark));
      d.put("required", Trees.bool(true, mark));
      dependsOn.put(service, d);
    }
  }

  /** Bare {@code KEY} / {@code KEY: null} entries take the variable's value when it is set. */
  private static void resolveNulls(Node n, Function<String, String> env, boolean dropUnset) {
    if (n instanceof MapNode m) {
      var it = m.entries().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Node> e = it.next();
        if (Trees.isNull(e.getValue())) {
          String v = env.apply(e.getKey());
          if (v != null) {
            e.setValue(Trees.str(v, e.getValue().mark()));
          } else if (dropUnset) {
            it.remove();
          }
        }
      }
    } else if (n instanceof SeqNode seq) {
      List<Node> items = seq.items();
      for (int i = items.size() - 1; i >= 0; i--) {
        String t = Trees.text(items.get(i));
        if (t != null && t.indexOf('=') < 0) {
          String v = env.apply(t);
          if (v != null) {
            items.set(i, Trees.str(t + "=" + v, items.get(i).mark()));
          } else if (dropUnset) {
            items.remove(i);
          }
        }
      }
    }
  }

  static boolean isTrue(Node n) {
    String t = Trees.text(n);
    return t != null && (t.equals("true") || t.equals("True") || t.equals("TRUE") || t.equals("1") || t.equals("t") || t.equals("T"));
  }

  /** Whether a build context is remote (kept as written). */
  public static boolean isRemoteContext(String c) {
    if (c.contains("://")) {
      return true;
    }
    for (String prefix : List.of("https://", "http://", "git://", "ssh://", "github.com/", "git@")) {
      if (c.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code ~} expanded, then made absolute against {@code base}, cleaned like Go's filepath.Join. */
  public static String absolute(String p, Path base, String home) {
    if (p.isEmpty()) {
      return p;
    }
    if (home != null && (p.equals("~") || p.startsWith("~/"))) {
      p = home + p.substring(1);
    }
    if (p.startsWith("/")) {
      return p;
    }
    return VolumeSyntax.cleanPath(base.toString() + "/" + p);
  }

  private static void replaceText(MapNode m, String key, Function<String, String> f) {
    Node n = m.get(key);
    String t = Trees.text(n);
    if (t != null) {
      m.put(key, Trees.str(f.apply(t), n.mark()));
    }
  }

  /** Calls {@code action} for each service mapping. */
  public static void forEachService(MapNode root, java.util.function.BiConsumer<String, MapNode> action) {
    if (root.get("services") instanceof MapNode services) {
      for (Map.Entry<String, Node> e : services.entries().entrySet()) {
        if (e.getValue() instanceof MapNode svc) {
          action.accept(e.getKey(), svc);
        }
      }
    }
  }
}
