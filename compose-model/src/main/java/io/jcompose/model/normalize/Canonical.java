package io.jcompose.model.normalize;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.Scalar;
import io.jcompose.model.load.Node.SeqNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the short syntaxes of a merged tree into their long forms, as Compose's canonical
 * transform does: {@code ports}, service {@code volumes}, {@code depends_on}, {@code networks},
 * {@code env_file}, {@code build}, {@code extends}, service {@code secrets}/{@code configs}, and
 * the legacy {@code external: {name: x}} of top-level resources.
 */
public final class Canonical {
  private Canonical() {}

  /** Transforms the tree in place. */
  public static void apply(MapNode root) {
    if (root.get("services") instanceof MapNode services) {
      for (Map.Entry<String, Node> e : services.entries().entrySet()) {
        if (e.getValue() instanceof MapNode svc) {
          service(svc, "services." + e.getKey());
        }
      }
    }
    for (String kind : List.of("networks", "volumes", "secrets", "configs")) {
      if (root.get(kind) instanceof MapNode resources) {
        for (Map.Entry<String, Node> e : resources.entries().entrySet()) {
          if (e.getValue() instanceof MapNode r) {
            external(r, kind + "." + e.getKey());
          }
        }
      }
    }
  }

  private static void service(MapNode svc, String path) {
    Node build = svc.get("build");
    if (build instanceof Scalar s && !s.isNull()) {
      MapNode b = MapNode.empty(s.mark());
      b.put("context", s);
      svc.put("build", b);
    }
    if (svc.get("build") instanceof MapNode b) {
      fileMounts(b, "secrets");
      if (b.get("additional_contexts") instanceof SeqNode seq) {
        b.put("additional_contexts", keyValues(seq, path + ".build.additional_contexts"));
      }
    }
    Node dependsOn = svc.get("depends_on");
    if (dependsOn != null) {
      svc.put("depends_on", dependsOn(dependsOn, path + ".depends_on"));
    }
    Node envFile = svc.get("env_file");
    if (envFile != null && !Trees.isNull(envFile)) {
      svc.put("env_file", envFile(envFile, path + ".env_file"));
    }
    Node ext = svc.get("extends");
    if (ext instanceof Scalar s && !s.isNull()) {
      MapNode m = MapNode.empty(s.mark());
      m.put("service", s);
      svc.put("extends", m);
    }
    if (svc.get("networks") instanceof SeqNode seq) {
      MapNode m = MapNode.empty(seq.mark());
      for (Node item : seq.items()) {
        String name = Trees.text(item);
        if (name == null) {
          throw Trees.typeError(item, path + ".networks", "a list of network names");
        }
        m.put(name, Scalar.nul(item.mark()));
      }
      svc.put("networks", m);
    }
    if (svc.get("volumes") instanceof SeqNode seq) {
      List<Node> items = seq.items();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof Scalar s && !s.isNull()) {
          items.set(i, volume(s, path + ".volumes[" + i + "]"));
        }
      }
    }
    fileMounts(svc, "secrets");
    fileMounts(svc, "configs");
    if (svc.get("devices") instanceof SeqNode seq) {
      List<Node> items = seq.items();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof Scalar s && !s.isNull()) {
          items.set(i, device(s, path + ".devices[" + i + "]"));
        }
      }
    }
    if (svc.get("gpus") instanceof Scalar s && !s.isNull()) {
      MapNode all = MapNode.empty(s.mark());
      all.put("count", Trees.str("all", s.mark()));
      svc.put("gpus", new SeqNode(new ArrayList<>(List.of(all)), s.mark(), null));
    }
    Node ports = svc.get("ports");
    if (ports instanceof SeqNode seq) {
      svc.put("ports", ports(seq, path + ".ports"));
    }
  }

  private static MapNode device(Scalar s, String path) {
    String[] arr = s.text().split(":", -1);
    if (arr.length > 3) {
      throw Trees.error(s, path, "confusing device mapping " + Trees.quote(s.text()) + ", please use the long syntax (source, target, permissions)");
    }
    String src = arr[0];
    String dst = arr.length >= 2 ? arr[1] : "";
    String perms = arr.length == 3 ? arr[2] : "rwm";
    MapNode m = MapNode.empty(s.mark());
    m.put("source", Trees.str(src, s.mark()));
    m.put("target", Trees.str(dst.isEmpty() ? src : dst, s.mark()));
    m.put("permissions", Trees.str(perms, s.mark()));
    return m;
  }

  private static void fileMounts(MapNode parent, String key) {
    if (parent.get(key) instanceof SeqNode seq) {
      List<Node> items = seq.items();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof Scalar s && !s.isNull()) {
          MapNode m = MapNode.empty(s.mark());
          m.put("source", s);
          items.set(i, m);
        }
      }
    }
  }

  private static MapNode keyValues(SeqNode seq, String path) {
    MapNode m = MapNode.empty(seq.mark());
    for (Node item : seq.items()) {
      String t = Trees.text(item);
      int eq = t == null ? -1 : t.indexOf('=');
      if (eq < 0) {
        throw Trees.error(item, path, "invalid value " + Trees.quote(String.valueOf(t)) + ", expected key=value");
      }
      m.put(t.substring(0, eq), Scalar.string(t.substring(eq + 1), item.mark()));
    }
    return m;
  }

  private static Node dependsOn(Node n, String path) {
    switch (n) {
      case SeqNode seq -> {
        MapNode m = MapNode.empty(seq.mark());
        for (Node item : seq.items()) {
          String name = Trees.text(item);
          if (name == null) {
            throw Trees.typeError(item, path, "a list of service names");
          }
          m.put(name, dependency(item.mark()));
        }
        return m;
      }
      case MapNode m -> {
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
          if (!(e.getValue() instanceof MapNode d)) {
            throw Trees.typeError(e.getValue(), path + "." + e.getKey(), "a mapping (condition, required, restart)");
          }
          if (d.get("condition") == null) {
            // the schema requires it in the long form
            throw Trees.error(d, path + "." + e.getKey(), "condition is required (service_started, service_healthy or service_completed_successfully)");
          }
          if (d.get("required") == null) {
            d.put("required", Trees.bool(true, d.mark()));
          }
        }
        return m;
      }
      case Scalar s -> throw Trees.typeError(s, path, "a list or a mapping of services");
    }
  }

  /** A default dependency: {@code condition: service_started, required: true}. */
  public static MapNode dependency(Mark mark) {
    MapNode d = MapNode.empty(mark);
    d.put("condition", Trees.str("service_started", mark));
    d.put("required", Trees.bool(true, mark));
    return d;
  }

  private static SeqNode envFile(Node n, String path) {
    List<Node> in =
        switch (n) {
          case Scalar s -> List.of(s);
          case SeqNode seq -> seq.items();
          case MapNode m -> throw Trees.typeError(m, path, "a path or a list of paths");
        };
    List<Node> out = new ArrayList<>();
    for (Node item : in) {
      switch (item) {
        case Scalar s -> {
          MapNode m = MapNode.empty(s.mark());
          m.put("path", Scalar.string(s.text(), s.mark()));
          m.put("required", Trees.bool(true, s.mark()));
          out.add(m);
        }
        case MapNode m -> {
          if (m.get("required") == null) {
            m.put("required", Trees.bool(true, m.mark()));
          }
          out.add(m);
        }
        case SeqNode s -> throw Trees.typeError(s, path, "a path or a mapping (path, required)");
      }
    }
    return new SeqNode(out, n.mark(), null);
  }

  private static MapNode volume(Scalar s, String path) {
    VolumeSyntax.Parsed v;
    try {
      v = VolumeSyntax.parse(s.text());
    } catch (IllegalArgumentException e) {
      throw new ComposeFileException(
          s.mark() + ": " + path + ": " + Trees.quote(s.text()) + " is not a volume mount (expected [SOURCE:]TARGET[:MODE]): " + e.getMessage());
    }
    Mark m = s.mark();
    MapNode out = MapNode.empty(m);
    out.put("type", Trees.str(v.type(), m));
    if (!v.source().isEmpty()) {
      out.put("source", Trees.str(v.source(), m));
    }
    if (!v.target().isEmpty()) {
      out.put("target", Trees.str(v.target(), m));
    }
    if (v.readOnly()) {
      out.put("read_only", Trees.bool(true, m));
    }
    boolean bindOptions = !v.selinux().isEmpty() || !v.propagation().isEmpty();
    if (v.type().equals("bind") || bindOptions) {
      MapNode bind = MapNode.empty(m);
      if (!v.selinux().isEmpty()) {
        bind.put("selinux", Trees.str(v.selinux(), m));
      }
      if (!v.propagation().isEmpty()) {
        bind.put("propagation", Trees.str(v.propagation(), m));
      }
      if (v.type().equals("bind")) {
        bind.put("create_host_path", Trees.bool(true, m));
      }
      out.put("bind", bind);
    }
    if (v.type().equals("volume") || v.nocopy()) {
      MapNode vol = MapNode.empty(m);
      if (v.nocopy()) {
        vol.put("nocopy", Trees.bool(true, m));
      }
      out.put("volume", vol);
    }
    return out;
  }

  private static SeqNode ports(SeqNode seq, String path) {
    List<Node> out = new ArrayList<>();
    List<Node> items = seq.items();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      switch (item) {
        case MapNode m -> {
          // compose-go's decoder fills these defaults for the long syntax too
          if (Trees.isNull(m.get("mode"))) {
            m.put("mode", Trees.str("ingress", m.mark()));
          }
          if (Trees.isNull(m.get("protocol"))) {
            m.put("protocol", Trees.str("tcp", m.mark()));
          }
          out.add(m);
        }
        case Scalar s when !s.isNull() && (s.kind() == Node.Kind.INT || s.kind() == Node.Kind.STRING) -> {
          List<PortSyntax.Entry> entries;
          try {
            entries = PortSyntax.parse(s.text());
          } catch (IllegalArgumentException e) {
            throw new ComposeFileException(
                s.mark() + ": " + path + "[" + i + "]: " + Trees.quote(s.text())
                    + " is not a port mapping (expected [HOST:]CONTAINER[/PROTOCOL]): " + e.getMessage());
          }
          for (PortSyntax.Entry p : entries) {
            Mark mk = s.mark();
            MapNode m = MapNode.empty(mk);
            m.put("mode", Trees.str("ingress", mk));
            if (!p.hostIp().isEmpty()) {
              m.put("host_ip", Trees.str(p.hostIp(), mk));
            }
            m.put("target", Trees.integer(p.target(), mk));
            if (!p.published().isEmpty()) {
              m.put("published", Trees.str(p.published(), mk));
            }
            m.put("protocol", Trees.str(p.protocol(), mk));
            out.add(m);
          }
        }
        default -> throw Trees.typeError(item, path + "[" + i + "]", "a port mapping (string, number or mapping)");
      }
    }
    return new SeqNode(out, seq.mark(), null);
  }

  private static void external(MapNode r, String path) {
    if (r.get("external") instanceof MapNode ext) {
      r.put("external", Trees.bool(true, ext.mark()));
      Node extName = ext.get("name");
      if (extName != null) {
        Node name = r.get("name");
        if (name != null && !String.valueOf(Trees.text(name)).equals(Trees.text(extName))) {
          throw Trees.error(r, path, "name and external.name conflict; only use name");
        }
        if (name == null) {
          r.put("name", extName);
        }
      }
    }
  }
}
