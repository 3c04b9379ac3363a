package io.jcompose.model.load;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.LoadOptions;
import io.jcompose.model.interpolate.Interpolator;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.merge.Merger;
import io.jcompose.model.normalize.Canonical;
import io.jcompose.model.normalize.Normalizer;
import io.jcompose.model.normalize.Trees;
import io.jcompose.model.normalize.Unicity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code extends} in one file: a service starts from a copy of its base (in the same file
 * or another file, whose relative paths resolve against that file's directory) and its own keys
 * are merged over it with the multi-file merge rules. A cycle is an error naming it.
 */
public final class Extends {
  private Extends() {}

  /**
   * Applies every {@code extends} of a file's tree in place.
   *
   * @param root the file's (interpolated) tree
   * @param file the file
   * @param options load options (for the home directory and current directory)
   * @param env the environment, for interpolating other files
   * @param interpolator the interpolator, or {@code null} without interpolation
   */
  public static void apply(MapNode root, ProjectFiles.ConfigFile file, LoadOptions options, Map<String, String> env, Interpolator interpolator) {
    if (!(root.get("services") instanceof MapNode services)) {
      return;
    }
    Path dir = file.path().equals("-") ? options.currentDirectory() : Path.of(file.path()).getParent();
    for (String name : List.copyOf(services.entries().keySet())) {
      resolve(name, services, file.displayName(), dir, env, interpolator, new ArrayList<>());
    }
  }

  private static Node resolve(
      String name, MapNode services, String fileName, Path dir, Map<String, String> env, Interpolator interpolator, List<String> chain) {
    Node s = services.get(name);
    if (!(s instanceof MapNode service)) {
      return s;
    }
    Node ext = service.get("extends");
    if (ext == null) {
      return service;
    }
    String ref;
    String otherFile = null;
    if (ext instanceof MapNode m) {
      ref = Trees.text(m.get("service"));
      otherFile = Trees.text(m.get("file"));
      if (ref == null) {
        throw Trees.error(m, "services." + name + ".extends", "service is required");
      }
      for (String k : m.entries().keySet()) {
        if (!k.equals("service") && !k.equals("file")) {
          throw new ComposeFileException(m.keyMark(k) + ": services." + name + ".extends: additional property " + Trees.quote(k) + " is not allowed");
        }
      }
    } else if (Trees.text(ext) != null) {
      ref = Trees.text(ext);
    } else {
      throw Trees.typeError(ext, "services." + name + ".extends", "a service name or a mapping (service, file)");
    }
    String key = fileName + ":" + name;
    if (chain.contains(key)) {
      List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(key), chain.size()));
      cycle.add(key);
      throw new ComposeFileException(ext.mark() + ": services." + name + ".extends: circular reference: " + String.join(" -> ", cycle));
    }
    chain.add(key);
    MapNode baseServices = services;
    String baseFile = fileName;
    Path baseDir = dir;
    if (otherFile != null) {
      Path p = dir.resolve(otherFile).normalize();
      if (!Files.isRegularFile(p)) {
        throw Trees.error(ext, "services." + name + ".extends.file", "cannot read " + otherFile + ": no such file");
      }
      baseFile = otherFile;
      baseDir = p.getParent();
      baseServices = loadServices(p, otherFile, env, interpolator);
    }
    if (baseServices.get(ref) == null) {
      throw Trees.error(ext, "services." + name + ".extends", "cannot extend service " + Trees.quote(name) + " in " + baseFile + ": service " + Trees.quote(ref) + " not found");
    }
    Node base = resolve(ref, baseServices, baseFile, baseDir, env, interpolator, chain);
    chain.remove(key);
    if (!(base instanceof MapNode baseMap)) {
      return service;
    }
    MapNode merged = Merger.extendService(baseMap, service);
    merged.entries().remove("extends");
    services.put(name, merged);
    return merged;
  }

  private static MapNode loadServices(Path p, String display, Map<String, String> env, Interpolator interpolator) {
    String text;
    try {
      text = Files.readString(p);
    } catch (java.io.IOException e) {
      throw new ComposeFileException(display + ": cannot read: " + e.getMessage(), e);
    }
    MapNode merged = null;
    for (Node doc : YamlReader.parseAll(display, text)) {
      if (!(doc instanceof MapNode root)) {
        continue;
      }
      if (interpolator != null) {
        interpolator.interpolate(root, "");
      }
      merged = merged == null ? (MapNode) Merger.dropResets(root) : (MapNode) Merger.merge(merged, root);
      Unicity.apply(merged);
    }
    if (merged == null || !(merged.get("services") instanceof MapNode services)) {
      return MapNode.empty(new Mark(display, 1, 1));
    }
    Canonical.apply(merged);
    Unicity.apply(merged);
    Normalizer.resolvePaths(merged, p.getParent(), env.getOrDefault("HOME", System.getProperty("user.home")));
    return services;
  }
}
