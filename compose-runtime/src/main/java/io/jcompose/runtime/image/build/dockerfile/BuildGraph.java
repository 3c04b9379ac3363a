package io.jcompose.runtime.image.build.dockerfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which stages a build of one target needs and in what order: base names with global ARGs
 * substituted, dependencies from {@code FROM <stage>}, {@code COPY --from} and {@code RUN
 * --mount=from=}, unused stages left out, and "waves" of stages that can be built in parallel.
 */
public final class BuildGraph {

  /**
   * A stage to build.
   *
   * @param stage the parsed stage
   * @param baseImage the image reference it starts from (ARGs substituted), or null when it
   *     starts from another stage ({@code baseStage}) or {@code scratch} is named here as-is
   * @param baseStage index of the stage it starts from, or -1
   * @param platform the {@code --platform} value with ARGs substituted, or null
   * @param dependencies indexes of stages it needs (base stage and {@code --from} stages)
   * @param images images it copies from that are not stages ({@code COPY --from=nginx})
   */
  public record Node(
      Stage stage,
      String baseImage,
      int baseStage,
      String platform,
      Set<Integer> dependencies,
      Set<String> images) {}

  private final Dockerfile dockerfile;
  private final Map<String, String> metaArgs;
  private final List<Node> needed;
  private final Node target;

  private BuildGraph(Dockerfile df, Map<String, String> metaArgs, List<Node> needed, Node target) {
    this.dockerfile = df;
    this.metaArgs = metaArgs;
    this.needed = needed;
    this.target = target;
  }

  /**
   * @param df the parsed Dockerfile
   * @param buildArgs {@code --build-arg} / compose {@code args} values (plus any predefined
   *     platform args the caller wants FROM lines to see)
   * @param target the stage to build ({@code --target}), or null for the last stage
   * @throws DockerfileException when the target is unknown, a base name is blank, a stage
   *     index does not exist, or stages depend on each other in a circle
   */
  public static BuildGraph resolve(Dockerfile df, Map<String, String> buildArgs, String target) {
    VariableExpander expander = new VariableExpander(df.directives().escape());
    Map<String, String> meta = new LinkedHashMap<>();
    for (Instruction.Arg arg : df.metaArgs()) {
      for (Instruction.ArgDef def : arg.args()) {
        String v = buildArgs.containsKey(def.name())
            ? buildArgs.get(def.name())
            : def.defaultValue() == null ? null : expand(df, arg.line(), expander, def.defaultValue(), meta::get);
        meta.put(def.name(), v);
      }
    }
    Map<String, String> fromEnv = new HashMap<>(buildArgs);
    fromEnv.putAll(meta);
    List<Node> all = new ArrayList<>();
    for (Stage s : df.stages()) {
      all.add(node(df, s, expander, fromEnv, meta, buildArgs));
    }
    Stage targetStage = target == null || target.isEmpty()
        ? df.stages().getLast()
        : df.stage(target).orElseThrow(() -> new DockerfileException(df.file(), 0,
            "target stage \"" + target + "\" could not be found" + Suggestions.hint(target,
                df.stages().stream().map(Stage::name).filter(java.util.Objects::nonNull).toList(), true)));
    List<Integer> order = new ArrayList<>();
    collect(df, all, targetStage.index(), new java.util.HashSet<>(), new java.util.HashSet<>(), order);
    List<Node> needed = order.stream().map(all::get).toList();
    return new BuildGraph(df, Collections.unmodifiableMap(meta), needed, all.get(targetStage.index()));
  }

  /** Depth-first: dependencies before dependants; a stage met again while open is a cycle. */
  private static void collect(Dockerfile df, List<Node> all, int index, Set<Integer> open,
      Set<Integer> finished, List<Integer> order) {
    if (finished.contains(index)) {
      return;
    }
    if (!open.add(index)) {
      throw new DockerfileException(df.file(), 0, "circular dependency detected on stage: "
          + all.get(index).stage().displayName());
    }
    for (int d : new TreeSet<>(all.get(index).dependencies())) {
      collect(df, all, d, open, finished, order);
    }
    open.remove(index);
    finished.add(index);
    order.add(index);
  }

  private static Node node(Dockerfile df, Stage s, VariableExpander ex, Map<String, String> fromEnv,
      Map<String, String> meta, Map<String, String> buildArgs) {
    Instruction.From from = s.from();
    String base = expand(df, from.line(), ex, from.image(), fromEnv::get);
    if (base.isEmpty()) {
      throw new DockerfileException(df.file(), from.line(), "base name (" + from.image() + ") should not be blank");
    }
    String platform = from.platform() == null ? null : expand(df, from.line(), ex, from.platform(), fromEnv::get);
    Set<Integer> deps = new LinkedHashSet<>();
    Set<String> images = new LinkedHashSet<>();
    int baseStage = -1;
    Stage named = stageByName(df, base, s.index());
    if (named != null) {
      baseStage = named.index();
      deps.add(baseStage);
      base = null;
    }
    // walk the stage with its ARG/ENV values, as --from may use them
    Map<String, String> env = new HashMap<>();
    for (Instruction i : s.instructions()) {
      switch (i) {
        case Instruction.Arg a -> {
          for (Instruction.ArgDef d : a.args()) {
            String v = buildArgs.containsKey(d.name()) ? buildArgs.get(d.name())
                : d.defaultValue() != null ? expand(df, a.line(), ex, d.defaultValue(), env::get)
                : meta.get(d.name());
            env.put(d.name(), v);
          }
        }
        case Instruction.Env e -> {
          Map<String, String> before = new HashMap<>(env);
          for (Instruction.KeyValue kv : e.vars()) {
            env.put(expand(df, e.line(), ex, kv.key(), before::get), expand(df, e.line(), ex, kv.value(), before::get));
          }
        }
        case Instruction.Copy c when c.from() != null ->
            reference(df, s, c.line(), expand(df, c.line(), ex, c.from(), env::get), deps, images);
        case Instruction.Run r -> {
          for (String mount : r.mounts()) {
            for (String field : mount.split(",")) {
              if (field.startsWith("from=")) {
                reference(df, s, r.line(), field.substring(5), deps, images);
              }
            }
          }
        }
        default -> {}
      }
    }
    return new Node(s, base, baseStage, platform, Set.copyOf(deps), Set.copyOf(images));
  }

  /**
   * A {@code --from}: a stage index or name (any stage: BuildKit resolves them after reading
   * all stages), else an image.
   */
  private static void reference(Dockerfile df, Stage s, int line, String from, Set<Integer> deps, Set<String> images) {
    if (from.matches("\\d+")) {
      int i = Integer.parseInt(from);
      if (i >= df.stages().size()) {
        throw new DockerfileException(df.file(), line, "invalid stage index " + i);
      }
      if (i == s.index()) {
        throw new DockerfileException(df.file(), line, "circular dependency detected on stage: " + s.displayName());
      }
      deps.add(i);
      return;
    }
    String key = from.toLowerCase(java.util.Locale.ROOT);
    if (key.equals(s.name())) {
      throw new DockerfileException(df.file(), line, "circular dependency detected on stage: " + key);
    }
    Stage named = df.stage(key).filter(st -> key.equals(st.name())).orElse(null);
    if (named != null) {
      deps.add(named.index());
    } else {
      images.add(from);
    }
  }

  /** An earlier stage with this AS name (a later one does not count, as in BuildKit). */
  private static Stage stageByName(Dockerfile df, String name, int before) {
    String key = name.toLowerCase(java.util.Locale.ROOT);
    for (Stage st : df.stages().subList(0, before)) {
      if (key.equals(st.name())) {
        return st;
      }
    }
    return null;
  }

  private static String expand(Dockerfile df, int line, VariableExpander ex, String word,
      java.util.function.Function<String, String> env) {
    try {
      return ex.expand(word, env);
    } catch (VariableExpander.ExpansionException e) {
      throw new DockerfileException(df.file(), line, e.getMessage());
    }
  }

  /** The Dockerfile this graph was built from. */
  public Dockerfile dockerfile() {
    return dockerfile;
  }

  /** Global ARG values after build args were applied (null: declared without a value). */
  public Map<String, String> metaArgs() {
    return metaArgs;
  }

  /** The stage the build produces. */
  public Node target() {
    return target;
  }

  /** The stages the target needs (itself included), in dependency order; unused ones left out. */
  public List<Node> stages() {
    return needed;
  }

  /**
   * The needed stages grouped so that every stage in a group only depends on earlier groups:
   * stages of one group can be built in parallel.
   */
  public List<List<Node>> waves() {
    Map<Integer, Integer> level = new HashMap<>();
    List<List<Node>> waves = new ArrayList<>();
    for (Node n : needed) {
      int l = 0;
      for (int d : n.dependencies()) {
        l = Math.max(l, level.get(d) + 1);
      }
      level.put(n.stage().index(), l);
      while (waves.size() <= l) {
        waves.add(new ArrayList<>());
      }
      waves.get(l).add(n);
    }
    return waves.stream().map(List::copyOf).toList();
  }
}
