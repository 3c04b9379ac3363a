package io.jcompose.runtime.image.build;

import io.jcompose.runtime.image.Image;
import io.jcompose.runtime.image.ImageService;
import io.jcompose.runtime.image.PullProgressListener;
import io.jcompose.runtime.image.build.BuildReport.StepReport;
import io.jcompose.runtime.image.build.cache.CacheEntry;
import io.jcompose.runtime.image.build.cache.CacheIndex;
import io.jcompose.runtime.image.build.cache.CacheKey;
import io.jcompose.runtime.image.build.context.BuildContext;
import io.jcompose.runtime.image.build.context.FileSource;
import io.jcompose.runtime.image.build.context.LayeredFiles;
import io.jcompose.runtime.image.build.dockerfile.BuildGraph;
import io.jcompose.runtime.image.build.dockerfile.Dockerfile;
import io.jcompose.runtime.image.build.dockerfile.DockerfileException;
import io.jcompose.runtime.image.build.dockerfile.DockerfileParser;
import io.jcompose.runtime.image.build.dockerfile.Instruction;
import io.jcompose.runtime.image.build.executor.ContainerStepRunner;
import io.jcompose.runtime.image.build.executor.CopyLayerBuilder;
import io.jcompose.runtime.image.build.executor.ImageConfigBuilder;
import io.jcompose.runtime.image.build.executor.ImageFs;
import io.jcompose.runtime.image.build.executor.LayerBlob;
import io.jcompose.runtime.image.build.executor.LayerWriter;
import io.jcompose.runtime.image.build.executor.StageEvaluator;
import io.jcompose.runtime.image.build.executor.Step;
import io.jcompose.runtime.image.build.executor.StepFailedException;
import io.jcompose.runtime.image.build.executor.StepRunner;
import io.jcompose.runtime.image.manifest.Descriptor;
import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds an image from a Dockerfile into the engine's image store: parses, resolves the stages
 * the target needs, evaluates each stage, reuses cached steps (key: {@link CacheKey}), writes
 * COPY/ADD/WORKDIR layers directly, and stores the result as a real image (config, layers, OCI
 * manifest) that can be run and pushed.
 *
 * <p>Stages that do not depend on each other ({@link BuildGraph#waves()}) are built in
 * parallel. RUN steps run through a {@link StepRunner} (the engine's: {@link
 * io.jcompose.runtime.image.build.executor.ContainerStepRunner}); without one RUN is refused
 * with an error naming the line.
 */
public final class ImageBuilder {
  private final ImageService images;
  private final CacheIndex cache;
  private final Path scratchDir;
  private final StepRunner runner;

  /**
   * A builder that cannot run RUN steps (COPY/ADD/config-only Dockerfiles).
   *
   * @param images the engine's image service (base images, result store)
   * @param cache the build cache index
   * @param scratchDir where layers are written before they enter the store (emptied per build)
   */
  public ImageBuilder(ImageService images, CacheIndex cache, Path scratchDir) {
    this(images, cache, scratchDir, null);
  }

  /**
   * @param runner runs RUN steps, or null to refuse them
   */
  public ImageBuilder(ImageService images, CacheIndex cache, Path scratchDir, StepRunner runner) {
    this.images = images;
    this.cache = cache;
    this.scratchDir = scratchDir;
    this.runner = runner;
  }

  /** A stage's state while it is built; {@code lowerDirs} is the filesystem after its last step, top first. */
  private record StageState(ImageConfigBuilder config, List<Descriptor> layers, String cacheKey, List<Path> lowerDirs) {}

  /**
   * Builds {@code request}; {@code progress} hears of each step as it finishes (from several
   * threads when independent stages build in parallel).
   *
   * @throws DockerfileException for Dockerfile errors and failing steps (message names the line)
   */
  public BuildReport build(BuildRequest request, Consumer<StepReport> progress) throws IOException {
    return build(request, BuildListener.ofSteps(progress));
  }

  /**
   * Builds {@code request}; {@code listener} hears each step begin and end and the output of
   * RUN steps (from several threads when independent stages build in parallel).
   *
   * @throws DockerfileException for Dockerfile errors (message names the line)
   * @throws StepFailedException when a RUN's command fails (Docker's message)
   */
  public BuildReport build(BuildRequest request, BuildListener listener) throws IOException {
    Dockerfile df = DockerfileParser.parse(request.dockerfile().name(), request.dockerfile().text());
    Platform platform = request.platform() != null ? request.platform() : Platform.host();
    Map<String, String> builtins = builtinArgs(platform);
    Map<String, String> fromArgs = new HashMap<>(builtins);
    fromArgs.putAll(request.buildArgs());
    BuildGraph graph = BuildGraph.resolve(df, fromArgs, request.target());
    BuildContext context = BuildContext.open(request.context(), request.dockerfile().path());
    StageEvaluator evaluator = new StageEvaluator(df.file(), df.directives().escape(),
        request.buildArgs(), graph.metaArgs(), builtins);
    CopyLayerBuilder copier = new CopyLayerBuilder(df.file());
    Files.createDirectories(scratchDir);

    Map<Integer, Integer> firstStep = new HashMap<>();
    int total = 0;
    for (BuildGraph.Node n : graph.waves().stream().flatMap(List::stream)
        .sorted(java.util.Comparator.comparingInt(n -> n.stage().index())).toList()) {
      firstStep.put(n.stage().index(), total + 1);
      total += 1 + n.stage().instructions().size();
    }
    Map<String, BuildContext> named = new HashMap<>();
    request.namedContexts().forEach((name, dir) -> named.put(name, BuildContext.open(dir, null)));
    Run run = new Run(request, df, platform, context, Map.copyOf(named), evaluator, copier, listener, firstStep, total);
    List<StepReport> reports = new ArrayList<>();
    for (List<BuildGraph.Node> wave : graph.waves()) {
      // stages of one wave depend only on earlier waves: build them side by side
      Map<Integer, List<StepReport>> waveReports = new java.util.TreeMap<>();
      if (wave.size() == 1) {
        waveReports.put(wave.getFirst().stage().index(), stage(wave.getFirst(), run));
      } else {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
          Map<Integer, java.util.concurrent.Future<List<StepReport>>> futures = new LinkedHashMap<>();
          for (BuildGraph.Node node : wave) {
            futures.put(node.stage().index(), pool.submit(() -> stage(node, run)));
          }
          for (var f : futures.entrySet()) {
            waveReports.put(f.getKey(), join(f.getValue()));
          }
        }
      }
      waveReports.values().forEach(reports::addAll);
    }
    Map<Integer, StageState> done = run.done;
    StageState target = done.get(graph.target().stage().index());
    String created = lastCreated(target.config());
    if (created != null) {
      target.config().created(created);
    }
    if (!request.labels().isEmpty()) {
      target.config().labels(request.labels());
    }
    Image image = images.storeBuilt(target.config().toJson(), target.layers(), request.tag());
    Set<String> unused = new HashSet<>(request.buildArgs().keySet());
    unused.removeAll(evaluator.consumedBuildArgs());
    unused.removeAll(graph.metaArgs().keySet());
    return new BuildReport(image, List.copyOf(reports), Set.copyOf(unused));
  }

  /** What the stages of one build share. */
  private record Run(BuildRequest request, Dockerfile df, Platform platform, BuildContext context,
      Map<String, BuildContext> namedContexts, StageEvaluator evaluator, CopyLayerBuilder copier, BuildListener listener,
      Map<Integer, Integer> firstStep, int totalSteps, Map<Integer, StageState> done) {
    Run(BuildRequest request, Dockerfile df, Platform platform, BuildContext context,
        Map<String, BuildContext> namedContexts, StageEvaluator evaluator, CopyLayerBuilder copier, BuildListener listener,
        Map<Integer, Integer> firstStep, int totalSteps) {
      this(request, df, platform, context, namedContexts, evaluator, copier, listener, firstStep, totalSteps,
          new java.util.concurrent.ConcurrentHashMap<>());
    }
  }

  /** Builds one stage whose dependencies are done; records its result in {@code run.done}. */
  private List<StepReport> stage(BuildGraph.Node node, Run run) throws IOException {
    BuildRequest request = run.request();
    Dockerfile df = run.df();
    Platform platform = run.platform();
    Map<Integer, StageState> done = run.done();
    List<StepReport> reports = new ArrayList<>();
    String stageName = node.stage().displayName();
    BuildListener listener = run.listener();
    int number = run.firstStep().get(node.stage().index());
    var fromNode = node.stage().from().node();
    listener.stepStarted(stageName, number, run.totalSteps(), fromNode.text());
    StageState state = base(node, run);
    listener.baseResolved(stageName, state.cacheKey());
    List<Step> steps = run.evaluator().evaluate(node.stage(), state.config());
    String parent = state.cacheKey();
    List<Descriptor> layers = new ArrayList<>(state.layers());
    List<Path> lowerDirs = state.lowerDirs();
    boolean fsStale = false; // layers were added since lowerDirs was computed
    for (Step step : steps) {
      number++;
      listener.stepStarted(stageName, Math.min(number, run.totalSteps()), run.totalSteps(), step.instruction().node().text());
      CacheKey.Builder kb = CacheKey.after(parent, platform.toString()).instruction(step.createdBy());
      if (step instanceof Step.Run r) {
        kb.args(r.buildArgs());
      }
      FileSource source = run.context();
      if (step instanceof Step.Copy copy) {
        String from = copy.instruction() instanceof Instruction.Copy c ? c.from() : null;
        BuildContext namedContext = from == null || df.stage(from).isPresent() ? null : run.namedContexts().get(from);
        if (from == null) {
          kb.files(checksum(run.context(), copy, df));
        } else if (namedContext != null) {
          // a named context is read like the main one: its files' checksums make the key
          kb.from("context " + from).files(checksum(namedContext, copy, df));
          source = namedContext;
        } else {
          CopySource s = copySource(from, df, done, platform, request.pull());
          kb.from(s.key());
          source = s.files();
        }
      }
      CacheKey key = kb.build();
      CacheEntry entry = request.noCache() ? null
          : cache.lookup(key, d -> images.hasBlob(Digest.parse(d))).orElse(null);
      boolean cached = entry != null;
      if (!cached) {
        if (fsStale && step.makesLayer()) {
          lowerDirs = currentDirs(layers, state.config());
          fsStale = false;
        }
        entry = run(step, key, source, run.copier(), lowerDirs, df, request,
            new StepRunner.Output() {
              @Override
              public void started(String containerId) {
                listener.running(stageName, containerId);
              }

              @Override
              public void text(String text, boolean stderr) {
                listener.output(stageName, text, stderr);
              }
            });
        cache.put(entry);
      }
      if (entry.hasLayer()) {
        layers.add(new Descriptor(entry.mediaType(), Digest.parse(entry.blob()), entry.size()));
        state.config().addLayer(entry.diffId());
        fsStale = true;
      }
      state.config().history(entry.created(), step.createdBy(), !entry.hasLayer());
      parent = key.value();
      StepReport r = new StepReport(stageName, step.createdBy(), cached);
      reports.add(r);
      listener.stepFinished(r, key.value());
    }
    if (fsStale) {
      lowerDirs = currentDirs(layers, state.config());
    }
    done.put(node.stage().index(), new StageState(state.config(), layers, parent, lowerDirs));
    return reports;
  }

  /** The snapshot directories of a stage's layers so far (unpacking cached ones on demand), top first. */
  private List<Path> currentDirs(List<Descriptor> layers, ImageConfigBuilder config) throws IOException {
    return images.snapshotDirs(layers, config.diffIds().stream().map(Digest::parse).toList());
  }

  private static <T> T join(java.util.concurrent.Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("build interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        default -> throw new IOException(e.getCause());
      }
    }
  }

  private StageState base(BuildGraph.Node node, Run run) throws IOException {
    Map<Integer, StageState> done = run.done();
    Platform platform = run.platform();
    boolean pull = run.request().pull();
    if (node.baseStage() >= 0) {
      StageState b = done.get(node.baseStage());
      return new StageState(b.config().copy(), b.layers(), b.cacheKey(), b.lowerDirs());
    }
    String ref = node.baseImage();
    BuildContext named = run.namedContexts().get(ref);
    if (named != null) {
      return namedContextBase(ref, named, run);
    }
    if (ref.equalsIgnoreCase("scratch")) {
      return new StageState(ImageConfigBuilder.scratch(platform.os(), platform.architecture(), platform.variant()),
          List.of(), "scratch", List.of());
    }
    Image base = pull ? null : images.find(ref).orElse(null);
    if (base == null) {
      Platform wanted = node.platform() != null ? Platform.parse(node.platform()) : platform;
      base = images.pull(ref, wanted, PullProgressListener.NONE);
    }
    ImageConfigBuilder config = ImageConfigBuilder.from(images.configBytes(base));
    return new StageState(config, images.layerDescriptors(base), base.id().toString(), images.lowerDirs(base));
  }

  /**
   * {@code FROM <named context>}: as BuildKit, a stage whose filesystem is the directory's
   * content (one layer, cached by the files' checksum) on an empty image config.
   */
  private StageState namedContextBase(String name, BuildContext context, Run run) throws IOException {
    Platform platform = run.platform();
    ImageConfigBuilder config = ImageConfigBuilder.scratch(platform.os(), platform.architecture(), platform.variant());
    Instruction copyAll = DockerfileParser.parse(name, "FROM scratch\nCOPY . /\n").stages().getFirst().instructions().getFirst();
    Step.Copy step = new Step.Copy(copyAll, "COPY " + name + " / # named context", "/");
    CacheKey key = CacheKey.after("scratch", platform.toString()).instruction(step.createdBy())
        .from("context " + name).files(context.checksum(List.of("."))).build();
    CacheEntry entry = run.request().noCache() ? null
        : cache.lookup(key, d -> images.hasBlob(Digest.parse(d))).orElse(null);
    if (entry == null) {
      entry = run(step, key, context, new CopyLayerBuilder(name), List.of(), run.df(), run.request(), null);
      cache.put(entry);
    }
    List<Descriptor> layers = new ArrayList<>();
    if (entry.hasLayer()) {
      layers.add(new Descriptor(entry.mediaType(), Digest.parse(entry.blob()), entry.size()));
      config.addLayer(entry.diffId());
    }
    config.history(entry.created(), step.createdBy(), !entry.hasLayer());
    return new StageState(config, layers, key.value(), currentDirs(layers, config));
  }

  private String checksum(BuildContext context, Step.Copy copy, Dockerfile df) {
    List<String> sources = switch (copy.instruction()) {
      case Instruction.Copy c -> c.sources();
      case Instruction.Add a -> a.sources();
      default -> List.of();
    };
    List<String> files = sources.stream().filter(s -> !s.startsWith("<<") && !s.contains("://")).toList();
    try {
      return files.isEmpty() ? "none" : context.checksum(files);
    } catch (io.jcompose.runtime.image.build.context.ContextException e) {
      throw new DockerfileException(df.file(), copy.instruction().line(), e.getMessage());
    }
  }

  /** What a {@code COPY --from} reads, and what identifies its content for the cache. */
  private record CopySource(FileSource files, String key) {}

  private CopySource copySource(String from, Dockerfile df, Map<Integer, StageState> done,
      Platform platform, boolean pull) throws IOException {
    var stage = df.stage(from);
    if (stage.isPresent() && done.containsKey(stage.get().index())) {
      StageState s = done.get(stage.get().index());
      List<Digest> diffIds = s.config().diffIds().stream().map(Digest::parse).toList();
      return new CopySource(new LayeredFiles(images.snapshotDirs(s.layers(), diffIds),
          "stage " + stage.get().displayName()), s.cacheKey());
    }
    Image image = pull ? null : images.find(from).orElse(null);
    if (image == null) {
      image = images.pull(from, platform, PullProgressListener.NONE);
    }
    return new CopySource(new LayeredFiles(images.lowerDirs(image), "image " + from), image.id().toString());
  }

  private CacheEntry run(Step step, CacheKey key, FileSource context, CopyLayerBuilder copier,
      List<Path> lowerDirs, Dockerfile df, BuildRequest request, StepRunner.Output output) throws IOException {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    LayerBlob blob;
    Path out = Files.createTempFile(scratchDir, "layer", ".tar.gz");
    try {
      switch (step) {
        case Step.ConfigChange c -> {
          return new CacheEntry(key.value(), null, null, 0, null, now, now);
        }
        case Step.Copy c -> blob = copier.write(c, context, ImageFs.layers(lowerDirs), out);
        case Step.Workdir w -> {
          if (w.path().equals("/") || ImageFs.layers(lowerDirs).isDirectory(w.path())) {
            // nothing to create: BuildKit records such a step as an empty layer
            return new CacheEntry(key.value(), null, null, 0, null, now, now);
          }
          try (LayerWriter lw = new LayerWriter(out)) {
            lw.directory(w.path(), 0755, 0, 0, FileTime.fromMillis(0));
            blob = lw.finish();
          }
        }
        case Step.Run r -> {
          if (runner == null) {
            throw new DockerfileException(df.file(), r.instruction().line(),
                "RUN is not supported here: this builder has no container engine to run build steps");
          }
          // RUN --network=none|host|default overrides the build's network for this step
          String stepNetwork = r.instruction().network() != null ? r.instruction().network() : request.network();
          if (!ContainerStepRunner.NETWORK_MODES.contains(stepNetwork)) {
            throw new DockerfileException(df.file(), r.instruction().line(),
                "network mode \"" + stepNetwork + "\" is not supported for builds (use default, none or host)");
          }
          blob = runner.run(r, lowerDirs, stepNetwork, request.run(), output, out);
        }
      }
      Descriptor d = new Descriptor(LayerBlob.MEDIA_TYPE, Digest.parse(blob.digest()), blob.size());
      images.storeBlob(d, blob.file());
      return new CacheEntry(key.value(), blob.diffId(), blob.digest(), blob.size(), LayerBlob.MEDIA_TYPE, now, now);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String lastCreated(ImageConfigBuilder config) {
    var history = config.tree().get("history");
    String last = null;
    if (history != null) {
      for (var h : history) {
        var c = h.get("created");
        if (c != null && !c.isNull() && (last == null || c.asString().compareTo(last) > 0)) {
          last = c.asString();
        }
      }
    }
    return last;
  }

  /** BuildKit's automatic platform ARGs. */
  static Map<String, String> builtinArgs(Platform p) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String prefix : List.of("TARGET", "BUILD")) {
      m.put(prefix + "PLATFORM", p.toString());
      m.put(prefix + "OS", p.os());
      m.put(prefix + "ARCH", p.architecture());
      m.put(prefix + "VARIANT", p.variant() == null ? "" : p.variant());
    }
    return m;
  }
}
