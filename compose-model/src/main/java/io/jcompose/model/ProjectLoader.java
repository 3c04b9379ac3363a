package io.jcompose.model;

import io.jcompose.model.interpolate.DotEnv;
import io.jcompose.model.interpolate.Interpolator;
import io.jcompose.model.load.Extends;
import io.jcompose.model.load.Include;
import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.ProjectFiles;
import io.jcompose.model.load.YamlReader;
import io.jcompose.model.merge.Merger;
import io.jcompose.model.normalize.Canonical;
import io.jcompose.model.normalize.Normalizer;
import io.jcompose.model.normalize.Trees;
import io.jcompose.model.normalize.Unicity;
import io.jcompose.model.validate.Binder;
import io.jcompose.model.validate.Consistency;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a Compose project the way {@code docker compose} does. The one entry point of the
 * module:
 *
 * <pre>{@code
 * Project p = ProjectLoader.load(LoadOptions.defaults().withFiles(List.of("compose.yaml")));
 * }</pre>
 *
 * <p>Stages (one package each): find files and the environment ({@code load}), parse YAML with
 * positions ({@code load}), interpolate ({@code interpolate}), {@code extends} / {@code include}
 * ({@code load}), merge files ({@code merge}), normalise short syntaxes and fill defaults
 * ({@code normalize}), check shapes and bind to records, then check references
 * ({@code validate}), select profiles.
 */
public final class ProjectLoader {
  private static final Set<String> TOP_LEVEL = Set.of("version", "name", "include", "services", "networks", "volumes", "secrets", "configs");

  private ProjectLoader() {}

  /**
   * Loads, validates and normalises a project.
   *
   * @param options what the command line and environment say
   * @return the project
   * @throws ComposeFileException with the one line to show the user
   */
  public static Project load(LoadOptions options) {
    ProjectFiles files = ProjectFiles.resolve(options);
    Map<String, String> env = files.environment();
    Interpolator interpolator = options.interpolate() ? Interpolator.of(env, options.warnings()) : null;
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));

    MapNode dict = null;
    String nameFromFiles = null;
    for (ProjectFiles.ConfigFile file : files.configFiles()) {
      for (Node doc : YamlReader.parseAll(file.displayName(), file.content())) {
        if (!(doc instanceof MapNode root)) {
          if (Trees.isNull(doc)) {
            continue;
          }
          throw new ComposeFileException(doc.mark() + ": the top level of a Compose file must be a mapping, not " + Node.describe(doc));
        }
        checkTopLevel(root);
        if (interpolator != null) {
          interpolator.interpolate(root, "");
        }
        warnIfVersioned(root, file, options);
        String n = Trees.text(root.get("name"));
        if (n != null && !n.isEmpty()) {
          nameFromFiles = n;
        }
        Extends.apply(root, file, options, env, interpolator);
        Include.apply(root, file, files.workingDir(), options, env, List.of(file.path()));
        Node merged = dict == null ? Merger.dropResets(root) : Merger.merge(dict, root);
        dict = (MapNode) merged;
        Unicity.apply(dict);
      }
    }
    if (dict == null || dict.entries().isEmpty()) {
      throw new ComposeFileException(files.configFiles().getFirst().displayName() + ": empty compose file");
    }
    String projectName = projectName(options, env, nameFromFiles, files.workingDir());

    dict.entries().remove("version");
    dict.entries().remove("name");
    Canonical.apply(dict);
    Unicity.apply(dict);
    Normalizer.defaults(dict);
    Normalizer.resolvePaths(dict, files.workingDir(), home);
    Normalizer.normalize(dict, projectName, env::get);

    Map<String, Service> all = new LinkedHashMap<>();
    MapNode services = Trees.map(dict, "services", "");
    if (services != null) {
      for (Map.Entry<String, Node> e : services.entries().entrySet()) {
        Service s = Binder.bindRecord(e.getValue(), Service.class, "services." + e.getKey(), e.getKey(), Set.of());
        Mark envFileAt = e.getValue() instanceof MapNode node ? node.keyMark("env_file") : e.getValue().mark();
        Mark labelFileAt = e.getValue() instanceof MapNode node ? node.keyMark("label_file") : e.getValue().mark();
        all.put(e.getKey(), EnvFiles.apply(s, env, envFileAt, labelFileAt));
      }
    }
    Map<String, NetworkConfig> networks = bindAll(dict, "networks", NetworkConfig.class, Set.of());
    Map<String, VolumeConfig> volumes = bindAll(dict, "volumes", VolumeConfig.class, Set.of());
    Map<String, FileObjectConfig> secrets = bindAll(dict, "secrets", FileObjectConfig.class, Set.of("content"));
    Map<String, FileObjectConfig> configs = bindAll(dict, "configs", FileObjectConfig.class, Set.of("driver", "driver_opts"));
    Map<String, Object> extensions = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : dict.entries().entrySet()) {
      if (e.getKey().startsWith("x-")) {
        extensions.put(e.getKey(), Binder.raw(e.getValue()));
      }
    }

    List<String> profiles = files.profiles();
    Map<String, Service> enabled = new LinkedHashMap<>();
    Map<String, Service> disabled = new LinkedHashMap<>();
    for (Service s : all.values()) {
      if (s.profiles().isEmpty() || profiles.contains("*") || s.profiles().stream().anyMatch(profiles::contains)) {
        enabled.put(s.name(), s);
      } else {
        disabled.put(s.name(), s);
      }
    }
    Consistency.check(dict, enabled, disabled, networks, volumes, secrets, configs);

    Project full =
        new Project(projectName, files.workingDir().toString(), enabled, networks, volumes, secrets, configs, extensions,
            files.configFiles().stream().map(f -> f.path()).toList(), env, disabled, profiles);
    return withoutUnusedResources(full);
  }

  /** Compose ignores the top-level {@code version} and says so once per file, after its interpolation. */
  private static void warnIfVersioned(MapNode root, ProjectFiles.ConfigFile file, LoadOptions options) {
    if (root.entries().containsKey("version")) {
      options.warnings().accept(file.path() + ": the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion");
    }
  }

  private static void checkTopLevel(MapNode root) {
    for (String k : root.entries().keySet()) {
      if (!k.startsWith("x-") && !TOP_LEVEL.contains(k)) {
        throw new ComposeFileException(root.keyMark(k) + ": additional property " + Trees.quote(k) + " is not allowed at the top level");
      }
    }
  }

  private static <T extends Record> Map<String, T> bindAll(MapNode dict, String key, Class<T> type, Set<String> forbidden) {
    Map<String, T> out = new LinkedHashMap<>();
    MapNode m = Trees.map(dict, key, "");
    if (m != null) {
      for (Map.Entry<String, Node> e : m.entries().entrySet()) {
        out.put(e.getKey(), Binder.bindRecord(e.getValue(), type, key + "." + e.getKey(), null, forbidden));
      }
    }
    return out;
  }

  /** Compose's project name rules: {@code -p}, COMPOSE_PROJECT_NAME, top-level {@code name}, folder name. */
  static String projectName(LoadOptions options, Map<String, String> env, String nameFromFiles, Path workingDir) {
    String explicit = options.projectName();
    if (explicit == null || explicit.isEmpty()) {
      explicit = env.get("COMPOSE_PROJECT_NAME");
    }
    if (explicit != null && !explicit.isEmpty()) {
      if (!normalizeName(explicit).equals(explicit)) {
        throw new ComposeFileException(
            "invalid project name " + Trees.quote(explicit)
                + ": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
      }
      return explicit;
    }
    String name = nameFromFiles != null ? normalizeName(nameFromFiles) : "";
    if (name.isEmpty()) {
      Path base = workingDir.getFileName();
      name = normalizeName(base == null ? "" : base.toString());
    }
    if (name.isEmpty()) {
      throw new ComposeFileException("project name must not be empty: use -p or a top-level name");
    }
    return name;
  }

  /** Compose's project name normalisation: lower case, keep {@code [a-z0-9_-]}, no leading {@code _}/{@code -}. */
  public static String normalizeName(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        sb.append(c);
      }
    }
    int i = 0;
    while (i < sb.length() && (sb.charAt(i) == '_' || sb.charAt(i) == '-')) {
      i++;
    }
    return sb.substring(i);
  }

  /** Drops networks, volumes, secrets and configs no enabled service uses, as Compose does. */
  static Project withoutUnusedResources(Project p) {
    Set<String> nets = new java.util.HashSet<>();
    Set<String> vols = new java.util.HashSet<>();
    Set<String> secs = new java.util.HashSet<>();
    Set<String> cfgs = new java.util.HashSet<>();
    for (Service s : p.services().values()) {
      nets.addAll(s.networks().keySet());
      for (ServiceVolume v : s.volumes()) {
        if (ServiceVolume.TYPE_VOLUME.equals(v.type()) && v.source() != null && !v.source().isEmpty()) {
          vols.add(v.source());
        }
      }
      s.secrets().forEach(r -> secs.add(r.source()));
      if (s.build() != null) {
        s.build().secrets().forEach(r -> secs.add(r.source()));
      }
      s.configs().forEach(r -> cfgs.add(r.source()));
    }
    return new Project(
        p.name(), p.workingDir(), p.services(), keep(p.networks(), nets), keep(p.volumes(), vols), keep(p.secrets(), secs),
        keep(p.configs(), cfgs), p.extensions(), p.composeFiles(), p.environment(), p.disabledServices(), p.profiles());
  }

  private static <V> Map<String, V> keep(Map<String, V> m, Set<String> keys) {
    Map<String, V> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (keys.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * Applies {@code env_file} entries and the shell to a service's environment, and
   * {@code label_file} entries to its labels, as Compose does (both lists are then dropped).
   */
  static final class EnvFiles {
    private EnvFiles() {}

    static Service apply(Service s, Map<String, String> env, Mark envFileAt, Mark labelFileAt) {
      Map<String, String> resolved = new LinkedHashMap<>();
      for (EnvFile f : s.envFile()) {
        Path p = Path.of(f.path());
        if (!Files.isRegularFile(p)) {
          if (f.required()) {
            throw new ComposeFileException(
                envFileAt + ": services." + s.name() + ".env_file: env file " + f.path() + " not found (create it or add required: false)");
          }
          continue;
        }
        if (f.format() != null && !f.format().isEmpty() && !f.format().equals("dotenv")) {
          // Compose 2.26.1 knows only the dotenv format
          throw new ComposeFileException(envFileAt + ": services." + s.name() + ".env_file: unsupported env_file format \"" + f.format() + "\"");
        }
        Map<String, String> vars =
            DotEnv.read(p, name -> resolved.containsKey(name) && resolved.get(name) != null ? resolved.get(name) : env.get(name));
        resolved.putAll(vars);
      }
      for (Map.Entry<String, String> e : s.environment().entrySet()) {
        String v = e.getValue() != null ? e.getValue() : env.get(e.getKey());
        resolved.put(e.getKey(), v);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      for (String f : s.labelFile()) {
        Path p = Path.of(f);
        if (!Files.isRegularFile(p)) {
          throw new ComposeFileException(labelFileAt + ": services." + s.name() + ".label_file: label file " + f + " not found");
        }
        labels.putAll(DotEnv.read(p, env::get));
      }
      labels.putAll(s.labels());
      return s.withEnvironment(resolved, List.of()).withLabels(labels, List.of());
    }
  }
}
