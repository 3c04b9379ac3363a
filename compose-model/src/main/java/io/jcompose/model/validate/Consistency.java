package io.jcompose.model.validate;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.DependsOn;
import io.jcompose.model.FileObjectConfig;
import io.jcompose.model.NetworkConfig;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.VolumeConfig;
import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks Compose makes on a bound project: references to undefined networks, volumes,
 * secrets, configs and services, mutually exclusive settings, enumerations, and dependency
 * cycles. Errors point at the service's position in the file.
 */
public final class Consistency {
  private static final Set<String> CONDITIONS =
      Set.of(DependsOn.SERVICE_STARTED, DependsOn.SERVICE_HEALTHY, DependsOn.SERVICE_COMPLETED_SUCCESSFULLY);
  private static final Set<String> VOLUME_TYPES = Set.of("bind", "volume", "tmpfs", "npipe", "cluster");
  private static final Set<String> PULL_POLICIES = Set.of("always", "never", "if_not_present", "build", "missing");

  private Consistency() {}

  /** Throws a {@link ComposeFileException} for the first problem found. */
  public static void check(
      MapNode dict,
      Map<String, Service> enabled,
      Map<String, Service> disabled,
      Map<String, NetworkConfig> networks,
      Map<String, VolumeConfig> volumes,
      Map<String, FileObjectConfig> secrets,
      Map<String, FileObjectConfig> configs) {
    Map<String, String> containerNames = new HashMap<>();
    for (Service s : new java.util.TreeMap<>(enabled).values()) {
      String at = where(dict, s.name());
      String p = "services." + s.name();
      if (s.build() == null && (s.image() == null || s.image().isEmpty())) {
        throw new ComposeFileException(at + p + ": has neither an image nor a build context specified (add image: or build:)");
      }
      if (s.build() != null && s.build().dockerfileInline() != null && !s.build().dockerfileInline().isEmpty()
          && s.build().dockerfile() != null && !s.build().dockerfile().isEmpty()) {
        throw new ComposeFileException(at + p + ".build: dockerfile and dockerfile_inline are mutually exclusive");
      }
      if (s.networkMode() != null && !s.networkMode().isEmpty() && !s.networks().isEmpty()) {
        throw new ComposeFileException(at + p + ": network_mode and networks are mutually exclusive");
      }
      for (String n : s.networks().keySet()) {
        if (!networks.containsKey(n)) {
          throw new ComposeFileException(at + p + ".networks: refers to undefined network " + n + " (declare it under the top-level networks:)");
        }
      }
      if (s.healthcheck() != null && !s.healthcheck().test().isEmpty()) {
        String first = s.healthcheck().test().getFirst();
        if (!first.equals("CMD") && !first.equals("CMD-SHELL") && !first.equals("NONE")) {
          throw new ComposeFileException(at + p + ".healthcheck.test: must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"");
        }
      }
      for (Map.Entry<String, DependsOn> d : s.dependsOn().entrySet()) {
        if (!CONDITIONS.contains(d.getValue().condition())) {
          throw new ComposeFileException(
              at + p + ".depends_on." + d.getKey() + ".condition: \"" + d.getValue().condition()
                  + "\" is not one of service_started, service_healthy, service_completed_successfully");
        }
        if (!enabled.containsKey(d.getKey()) && !(disabled.containsKey(d.getKey()) && !d.getValue().required())) {
          throw new ComposeFileException(at + p + ".depends_on: depends on undefined service \"" + d.getKey() + "\"");
        }
      }
      if (s.networkMode() != null && s.networkMode().startsWith("service:")) {
        String ref = s.networkMode().substring("service:".length());
        if (!enabled.containsKey(ref)) {
          throw new ComposeFileException(at + p + ".network_mode: service \"" + ref + "\" not found");
        }
      }
      if (s.pullPolicy() != null && !PULL_POLICIES.contains(s.pullPolicy())) {
        throw new ComposeFileException(at + p + ".pull_policy: \"" + s.pullPolicy() + "\" is not one of " + String.join(", ", new java.util.TreeSet<>(PULL_POLICIES)));
      }
      for (int i = 0; i < s.volumes().size(); i++) {
        ServiceVolume v = s.volumes().get(i);
        if (v.type() == null || !VOLUME_TYPES.contains(v.type())) {
          throw new ComposeFileException(at + p + ".volumes[" + i + "].type: \"" + v.type() + "\" is not one of bind, volume, tmpfs, npipe, cluster");
        }
        if (v.target() == null || v.target().isEmpty()) {
          throw new ComposeFileException(at + p + ".volumes[" + i + "]: target is required");
        }
        if (ServiceVolume.TYPE_BIND.equals(v.type()) && (v.source() == null || v.source().isEmpty())) {
          throw new ComposeFileException(at + p + ".volumes[" + i + "]: a bind mount needs a source");
        }
        if (ServiceVolume.TYPE_VOLUME.equals(v.type()) && v.source() != null && !v.source().isEmpty() && !volumes.containsKey(v.source())) {
          throw new ComposeFileException(at + p + ".volumes[" + i + "]: refers to undefined volume " + v.source() + " (declare it under the top-level volumes:)");
        }
      }
      if (s.build() != null) {
        s.build().secrets().forEach(r -> {
          if (!secrets.containsKey(r.source())) {
            throw new ComposeFileException(at + p + ".build.secrets: refers to undefined secret " + r.source());
          }
        });
      }
      s.configs().forEach(r -> {
        if (!configs.containsKey(r.source())) {
          throw new ComposeFileException(at + p + ".configs: refers to undefined config " + r.source());
        }
      });
      s.secrets().forEach(r -> {
        if (!secrets.containsKey(r.source())) {
          throw new ComposeFileException(at + p + ".secrets: refers to undefined secret " + r.source());
        }
      });
      if (s.scale() != null && s.deploy() != null && s.deploy().replicas() != null && !s.scale().equals(s.deploy().replicas())) {
        throw new ComposeFileException(at + p + ": can't set distinct values on 'scale' and 'deploy.replicas'");
      }
      if (s.containerName() != null && !s.containerName().isEmpty()) {
        String existing = containerNames.putIfAbsent(s.containerName(), s.name());
        if (existing != null) {
          throw new ComposeFileException(at + p + ".container_name: \"" + s.containerName() + "\" is already in use by services." + existing);
        }
        if (s.replicas() > 1) {
          throw new ComposeFileException(at + p + ": can't set container_name and scale/deploy.replicas > 1: container names must be unique");
        }
      }
      if (s.develop() != null) {
        for (var w : s.develop().watch()) {
          if (!"rebuild".equals(w.action()) && (w.target() == null || w.target().isEmpty())) {
            throw new ComposeFileException(at + p + ".develop.watch: target is required for non-rebuild actions");
          }
        }
      }
    }
    for (Map.Entry<String, FileObjectConfig> e : new java.util.TreeMap<>(secrets).entrySet()) {
      FileObjectConfig c = e.getValue();
      if (!c.external() && empty(c.file()) && empty(c.environment())) {
        throw new ComposeFileException(where(dict, "secrets", e.getKey()) + "secrets." + e.getKey() + ": must declare either file or environment");
      }
    }
    for (Map.Entry<String, FileObjectConfig> e : new java.util.TreeMap<>(configs).entrySet()) {
      FileObjectConfig c = e.getValue();
      if (!c.external() && empty(c.file()) && empty(c.environment()) && empty(c.content())) {
        throw new ComposeFileException(where(dict, "configs", e.getKey()) + "configs." + e.getKey() + ": must declare either file, environment or content");
      }
    }
    checkCycles(dict, enabled);
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static void checkCycles(MapNode dict, Map<String, Service> services) {
    Map<String, Integer> state = new HashMap<>();
    for (String name : new java.util.TreeSet<>(services.keySet())) {
      visit(name, services, state, new ArrayList<>(), dict);
    }
  }

  private static void visit(String name, Map<String, Service> services, Map<String, Integer> state, List<String> stack, MapNode dict) {
    Integer st = state.get(name);
    if (st != null && st == 2) {
      return;
    }
    if (st != null && st == 1) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(name), stack.size()));
      cycle.add(name);
      throw new ComposeFileException(where(dict, name) + "dependency cycle detected: " + String.join(" -> ", cycle));
    }
    Service s = services.get(name);
    if (s == null) {
      return;
    }
    state.put(name, 1);
    stack.add(name);
    for (String dep : new java.util.TreeSet<>(s.dependsOn().keySet())) {
      visit(dep, services, state, stack, dict);
    }
    stack.removeLast();
    state.put(name, 2);
  }

  private static String where(MapNode dict, String service) {
    return where(dict, "services", service);
  }

  private static String where(MapNode dict, String kind, String key) {
    if (dict.get(kind) instanceof MapNode m) {
      Mark mk = m.keyMark(key);
      if (mk != null && mk.line() > 0) {
        return mk + ": ";
      }
    }
    return "";
  }
}
