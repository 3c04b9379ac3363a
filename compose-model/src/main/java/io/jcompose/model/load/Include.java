package io.jcompose.model.load;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.LoadOptions;
import io.jcompose.model.interpolate.DotEnv;
import io.jcompose.model.interpolate.Interpolator;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.SeqNode;
import io.jcompose.model.merge.Merger;
import io.jcompose.model.normalize.Canonical;
import io.jcompose.model.normalize.Normalizer;
import io.jcompose.model.normalize.Trees;
import io.jcompose.model.normalize.Unicity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies top-level {@code include}: each entry ({@code path} string or list, optional
 * {@code project_directory} and {@code env_file}) is loaded as its own project (relative paths
 * against its own directory, variables from its own {@code .env}) and its services, networks,
 * volumes, secrets and configs are imported; a resource defined differently on both sides is an
 * error, and so is an include cycle.
 */
public final class Include {
  private Include() {}

  /**
   * Applies the {@code include} section of a file in place and removes it.
   *
   * @param root the file's tree
   * @param file the file
   * @param workingDir the including project's directory
   * @param options load options
   * @param env the environment
   * @param chain files being included, outermost first (for cycle errors)
   */
  public static void apply(MapNode root, ProjectFiles.ConfigFile file, Path workingDir, LoadOptions options, Map<String, String> env, List<String> chain) {
    Node inc = root.get("include");
    if (inc == null) {
      return;
    }
    root.entries().remove("include");
    if (Trees.isNull(inc)) {
      return;
    }
    if (!(inc instanceof SeqNode seq)) {
      throw Trees.typeError(inc, "include", "a list");
    }
    Path baseDir = file.path().equals("-") ? workingDir : Path.of(file.path()).getParent();
    for (int i = 0; i < seq.items().size(); i++) {
      Node entry = seq.items().get(i);
      String path = "include[" + i + "]";
      List<String> paths = new ArrayList<>();
      String projectDir = null;
      List<String> envFiles = new ArrayList<>();
      switch (entry) {
        case Node.Scalar s when !s.isNull() -> paths.add(s.text());
        case MapNode m -> {
          for (String k : m.entries().keySet()) {
            if (!List.of("path", "project_directory", "env_file").contains(k)) {
              throw new ComposeFileException(m.keyMark(k) + ": " + path + ": additional property " + Trees.quote(k) + " is not allowed");
            }
          }
          paths.addAll(strings(m.get("path"), path + ".path"));
          projectDir = Trees.text(m.get("project_directory"));
          envFiles.addAll(strings(m.get("env_file"), path + ".env_file"));
        }
        default -> throw Trees.typeError(entry, path, "a path or a mapping (path, project_directory, env_file)");
      }
      if (paths.isEmpty()) {
        throw Trees.error(entry, path, "path is required");
      }
      List<Path> abs = new ArrayList<>();
      for (String p : paths) {
        abs.add(baseDir.resolve(p).normalize());
      }
      Path main = abs.getFirst();
      if (chain.contains(main.toString())) {
        throw Trees.error(entry, path, "include cycle detected: " + String.join(" -> ", chain) + " -> " + main);
      }
      Path incDir = projectDir != null ? baseDir.resolve(projectDir).normalize() : main.getParent();
      Map<String, String> incEnv = new LinkedHashMap<>(env);
      List<Path> envPaths = new ArrayList<>();
      if (envFiles.isEmpty()) {
        Path dot = incDir.resolve(".env");
        if (Files.isRegularFile(dot)) {
          envPaths.add(dot);
        }
      } else {
        for (String f : envFiles) {
          Path ep = workingDir.resolve(f).normalize();
          if (!Files.isRegularFile(ep)) {
            throw Trees.error(entry, path + ".env_file", ep + " is not a file");
          }
          envPaths.add(ep);
        }
      }
      Map<String, String> fromFiles = new LinkedHashMap<>();
      for (Path ep : envPaths) {
        fromFiles.putAll(DotEnv.read(ep, n -> fromFiles.containsKey(n) ? fromFiles.get(n) : env.get(n)));
      }
      fromFiles.forEach(incEnv::putIfAbsent);
      Interpolator interp = options.interpolate() ? Interpolator.of(incEnv, options.warnings()) : null;
      List<String> nextChain = new ArrayList<>(chain);
      nextChain.add(main.toString());
      MapNode imported = null;
      for (Path p : abs) {
        if (!Files.isRegularFile(p)) {
          throw Trees.error(entry, path, "included file " + p + " not found");
        }
        String text;
        try {
          text = Files.readString(p);
        } catch (java.io.IOException e) {
          throw new ComposeFileException(p + ": cannot read: " + e.getMessage(), e);
        }
        ProjectFiles.ConfigFile cf = new ProjectFiles.ConfigFile(p.toString(), p.toString(), text);
        for (Node doc : YamlReader.parseAll(p.toString(), text)) {
          if (!(doc instanceof MapNode r)) {
            continue;
          }
          if (interp != null) {
            interp.interpolate(r, "");
          }
          Extends.apply(r, cf, options, incEnv, interp);
          apply(r, cf, incDir, options, incEnv, nextChain);
          imported = imported == null ? (MapNode) Merger.dropResets(r) : (MapNode) Merger.merge(imported, r);
          Unicity.apply(imported);
        }
      }
      if (imported == null) {
        continue;
      }
      Canonical.apply(imported);
      Unicity.apply(imported);
      Normalizer.resolvePaths(imported, main.getParent(), incEnv.getOrDefault("HOME", System.getProperty("user.home")));
      for (String kind : List.of("services", "volumes", "networks", "secrets", "configs")) {
        if (!(imported.get(kind) instanceof MapNode from)) {
          continue;
        }
        MapNode to = root.get(kind) instanceof MapNode t ? t : MapNode.empty(from.mark());
        for (Map.Entry<String, Node> e : from.entries().entrySet()) {
          Node existing = to.get(e.getKey());
          if (existing != null) {
            if (NodeEquality.same(existing, e.getValue())) {
              continue;
            }
            throw Trees.error(existing, kind + "." + e.getKey(), "conflicts with imported resource from " + main);
          }
          to.put(e.getKey(), e.getValue());
        }
        root.put(kind, to);
      }
    }
  }

  private static List<String> strings(Node n, String path) {
    if (n == null || Trees.isNull(n)) {
      return List.of();
    }
    if (Trees.text(n) != null) {
      return List.of(Trees.text(n));
    }
    if (n instanceof SeqNode s) {
      List<String> out = new ArrayList<>();
      for (Node i : s.items()) {
        String t = Trees.text(i);
        if (t == null) {
          throw Trees.typeError(i, path, "a string");
        }
        out.add(t);
      }
      return out;
    }
    throw Trees.typeError(n, path, "a string or a list of strings");
  }
}
