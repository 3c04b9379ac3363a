package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.BuildCachePruneReport;
import io.jcompose.runtime.api.model.BuildMessage;
import io.jcompose.runtime.api.server.BuildBackend;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.network.dns.HostsFile;
import java.net.InetAddress;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.image.ImageService;
import io.jcompose.runtime.sys.HostNames;
import io.jcompose.runtime.image.build.BuildListener;
import io.jcompose.runtime.image.build.BuildReport;
import io.jcompose.runtime.image.build.BuildReport.StepReport;
import io.jcompose.runtime.image.build.BuildRequest;
import io.jcompose.runtime.image.build.ImageBuilder;
import io.jcompose.runtime.image.build.cache.CacheEntry;
import io.jcompose.runtime.image.build.cache.CacheIndex;
import io.jcompose.runtime.image.build.context.ContextArchive;
import io.jcompose.runtime.image.build.context.ContextException;
import io.jcompose.runtime.image.build.context.DockerfileSource;
import io.jcompose.runtime.image.build.dockerfile.DockerfileException;
import io.jcompose.runtime.image.build.executor.ContainerStepRunner;
import io.jcompose.runtime.image.build.executor.RunOptions;
import io.jcompose.runtime.image.build.executor.StepFailedException;
import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.reference.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code POST /build} on the real engine: the context tar is unpacked under
 * {@code <data-root>/builder/contexts}, built by {@link ImageBuilder} with RUN steps in build
 * containers ({@link ContainerStepRunner}, on a container engine rooted at
 * {@code <data-root>/builder}, invisible to {@code docker ps}), and reported line by line as the
 * classic builder does ({@code Step 2/4 : RUN ...}, {@code ---> Using cache},
 * {@code Successfully built <id>}). The cache ({@link CacheIndex}) lives under
 * {@code <data-root>/builder/cache}, so it survives daemon restarts.
 */
final class Builds implements BuildBackend {
    private final ImageService images;
    private final CacheIndex cache;
    private final ContainerStepRunner runner;
    private final Path root;
    private final EventSink events;

    /**
     * @param runRoot the container run root (short: unix sockets live below it)
     * @param networks the engine's networks: RUN steps get theirs from it ({@link BuildNetworks})
     */
    Builds(ImageService images, Path dataRoot, Path runRoot, EventSink events, Networks networks) throws IOException {
        this.images = images;
        this.events = events;
        this.root = dataRoot.resolve("builder");
        this.cache = new CacheIndex(dataRoot);
        this.runner = new ContainerStepRunner(ContainerEngine.open(root, runRoot, HostNames.forDataRoot(dataRoot)), root.resolve("run"),
                new BuildNetworks(networks));
        runner.sweep(); // containers of builds a killed daemon left
        deleteTree(root.resolve("contexts"));
    }

    @Override
    public void build(BuildOptions options, byte[] context, Consumer<BuildMessage> out, Consumer<Runnable> onClientGone) {
        for (String t : options.tags()) {
            try {
                ImageReference.parse(t);
            } catch (RuntimeException e) {
                throw EngineApiException.badRequest("invalid reference format: " + t);
            }
        }
        Platform platform;
        try {
            platform = options.platform() == null || options.platform().isEmpty() ? null : Platform.parse(options.platform());
        } catch (RuntimeException e) {
            throw EngineApiException.badRequest("invalid platform: " + options.platform());
        }
        Path dir = null;
        try {
            Files.createDirectories(root.resolve("contexts"));
            dir = Files.createTempDirectory(root.resolve("contexts"), "ctx");
            build(options, platform, context, dir, out, onClientGone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
                deleteTree(dir.resolveSibling(dir.getFileName() + ".named"));
            }
        }
    }

    private void build(BuildOptions options, Platform platform, byte[] context, Path dir, Consumer<BuildMessage> out,
            Consumer<Runnable> onClientGone) throws IOException {
        DockerfileSource dockerfile;
        try {
            ContextArchive.extract(new ByteArrayInputStream(context), dir);
            String name = options.dockerfile() == null || options.dockerfile().isEmpty() ? null : options.dockerfile();
            if (name != null && !dir.resolve(name).normalize().startsWith(dir)) {
                throw EngineApiException.badRequest("the Dockerfile (" + name + ") must be within the build context");
            }
            dockerfile = DockerfileSource.resolve(dir, name, null);
        } catch (ContextException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        String network = options.networkMode();
        if (network != null && !network.isEmpty() && !ContainerStepRunner.NETWORK_MODES.contains(network)) {
            throw EngineApiException.badRequest("network mode \"" + network
                    + "\" is not supported for builds by jcomposed (use default, none or host)");
        }
        List<String> tags = options.tags();
        BuildRequest request = new BuildRequest(dir, dockerfile, options.buildArgs(), emptyToNull(options.target()),
                tags.isEmpty() ? null : tags.getFirst(), options.noCache(), options.pull(), platform, options.labels(),
                network, namedContexts(dir, options.namedContexts()), runOptions(options.run()));
        ClassicOutput output = new ClassicOutput(options.quiet() ? m -> { } : out);
        // the client left (docker build interrupted): its running steps are killed, which fails
        // them and removes their containers and networks; the next step's line then fails too
        onClientGone.accept(() -> {
            output.cancelled = true;
            runner.cancel(output.running.values());
        });
        ImageBuilder builder = new ImageBuilder(images, cache, root.resolve("tmp"), runner);
        BuildReport report;
        try {
            report = builder.build(request, output);
        } catch (DockerfileException | ContextException e) {
            if (!output.began) {
                throw EngineApiException.badRequest(e.getMessage());
            }
            out.accept(BuildMessage.error(e.getMessage(), null));
            return;
        } catch (StepFailedException e) {
            out.accept(BuildMessage.error(e.getMessage(), e.exitCode()));
            return;
        } catch (RuntimeException | IOException e) {
            if (!output.began && !options.quiet()) {
                throw EngineApiException.internal(String.valueOf(e.getMessage()));
            }
            out.accept(BuildMessage.error(String.valueOf(e.getMessage()), null));
            return;
        }
        String id = report.image().id().toString();
        for (String t : tags.subList(Math.min(1, tags.size()), tags.size())) {
            images.tag(id, t);
        }
        for (String t : tags) {
            String name = ImageReference.parse(t).familiar();
            events.publish(EventSink.event("image", "tag", name, Map.of("name", name)));
        }
        if (options.quiet()) {
            out.accept(BuildMessage.stream(id + "\n"));
            return;
        }
        output.finish(report.image().id().shortHex());
        if (!report.unusedBuildArgs().isEmpty()) {
            out.accept(BuildMessage.stream("[Warning] One or more build-args " + new TreeSet<>(report.unusedBuildArgs())
                    .toString().replace(",", "") + " were not consumed\n"));
        }
        out.accept(BuildMessage.imageId(id));
        out.accept(BuildMessage.stream("Successfully built " + report.image().id().shortHex() + "\n"));
        for (String t : tags) {
            out.accept(BuildMessage.stream("Successfully tagged " + ImageReference.parse(t).familiar() + "\n"));
        }
    }

    /** {@code POST /build}'s RUN options as the step containers'; a bad {@code extrahosts} entry is a 400. */
    private static RunOptions runOptions(BuildBackend.RunParameters l) {
        var resources = new ContainerSpec.Resources(l.memory(), l.memorySwap(), null, l.cpuShares(), l.cpuQuota(),
                l.cpuPeriod(), l.cpusetCpus(), l.cpusetMems(), null, null);
        List<ContainerSpec.Ulimit> ulimits = l.ulimits().stream().map(u -> new ContainerSpec.Ulimit(u.name(),
                u.soft() == null ? 0 : u.soft(), u.hard() == null ? 0 : u.hard())).toList();
        List<HostsFile.ExtraHost> hosts = new ArrayList<>();
        for (String h : l.extraHosts()) {
            int c = h.indexOf(':');
            String ip = c <= 0 ? "" : h.substring(c + 1);
            try {
                InetAddress.ofLiteral(ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip);
            } catch (IllegalArgumentException e) {
                throw EngineApiException.badRequest("invalid extra host \"" + h + "\" for the build: expected host:ip"
                        + (ip.equals("host-gateway") ? " (host-gateway is not supported for builds)" : ""));
            }
            hosts.add(new HostsFile.ExtraHost(h.substring(0, c), ip));
        }
        return new RunOptions(resources, l.shmSize(), ulimits, hosts);
    }

    /**
     * The classic builder's lines for the builder's events. A step's {@code ---> <id>} line waits
     * for the next step to begin, so that the last one can show the image id, as dockerd's does.
     */
    private static final class ClassicOutput implements BuildListener {
        private final Consumer<BuildMessage> out;
        private final Map<String, String> running = new ConcurrentHashMap<>();
        private String pendingArrow;
        volatile boolean began;
        /** Set when the client has gone: no step starts any more. */
        volatile boolean cancelled;

        ClassicOutput(Consumer<BuildMessage> out) {
            this.out = out;
        }

        private void emit(String text) {
            if (cancelled) {
                throw new java.util.concurrent.CancellationException("the client cancelled the build");
            }
            began = true;
            out.accept(BuildMessage.stream(text));
        }

        synchronized void finish(String imageShortId) {
            if (pendingArrow != null) {
                pendingArrow = null;
                emit(" ---> " + imageShortId + "\n");
            }
        }

        @Override
        public synchronized void stepStarted(String stage, int number, int total, String instruction) {
            if (pendingArrow != null) {
                emit(pendingArrow);
                pendingArrow = null;
            }
            emit("Step " + number + "/" + total + " : " + instruction);
            emit("\n");
        }

        @Override
        public void baseResolved(String stage, String baseId) {
            if (baseId.startsWith("sha256:")) {
                emit(" ---> " + shortId(baseId) + "\n");
            }
        }

        @Override
        public void running(String stage, String containerId) {
            running.put(stage, containerId);
            emit(" ---> Running in " + containerId.substring(0, 12) + "\n");
        }

        @Override
        public void output(String stage, String text, boolean stderr) {
            // the classic builder shows stderr in red
            emit(stderr ? "\u001b[91m" + text + "\u001b[0m" : text);
        }

        @Override
        public synchronized void stepFinished(StepReport report, String resultId) {
            String container = running.remove(report.stage());
            if (report.cached()) {
                emit(" ---> Using cache\n");
            } else if (container != null) {
                emit("Removing intermediate container " + container.substring(0, 12) + "\n");
            }
            if (pendingArrow != null) {
                emit(pendingArrow); // a stage building in parallel finished a step meanwhile
            }
            pendingArrow = " ---> " + shortId(resultId) + "\n";
        }

        private static String shortId(String id) {
            String hex = id.substring(id.indexOf(':') + 1);
            return hex.substring(0, Math.min(12, hex.length()));
        }
    }

    /**
     * For a daemon going down: kills the running RUN steps and waits a little for their clean-up
     * (containers, veths, namespaces) while the engine's networks are still open; what does not
     * finish in time the next start sweeps.
     */
    void close() {
        try {
            runner.close(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public BuildCachePruneReport prune(boolean all, Filters filters, long keepStorage) {
        Instant olderThan = null;
        for (String until : filters.get("until")) {
            olderThan = until(until);
        }
        // without `all` Docker keeps cache that images still use; ours is only the record of a
        // layer the images hold anyway, so both remove every (old enough) record
        List<CacheEntry> removed = cache.prune(olderThan, keepStorage);
        Set<Digest> blobs = new HashSet<>();
        List<String> ids = new ArrayList<>();
        for (CacheEntry e : removed) {
            ids.add(e.key());
            if (e.hasLayer()) {
                blobs.add(Digest.parse(e.blob()));
            }
        }
        try {
            long freed = images.deleteBlobsUnlessUsed(blobs);
            return new BuildCachePruneReport(ids, freed);
        } catch (IOException e) {
            throw EngineApiException.internal("pruning the build cache: " + e.getMessage());
        }
    }

    /** {@code until}: a Go duration ago ({@code 24h}), an RFC 3339 time, or Unix seconds. */
    private static Instant until(String value) {
        try {
            return Instant.now().minus(io.jcompose.runtime.image.build.dockerfile.GoDuration.parse(value));
        } catch (RuntimeException notDuration) {
            try {
                return Instant.parse(value);
            } catch (RuntimeException notTime) {
                try {
                    return Instant.ofEpochSecond((long) Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    throw EngineApiException.badRequest("invalid filter 'until=" + value + "': not a duration or a time");
                }
            }
        }
    }

    /**
     * The named contexts of the {@code jcompose-contexts} extension: directories inside the
     * unpacked context, moved out of it (into {@code <dir>.named/<name>}) so that the main
     * context's {@code COPY .} never sees them.
     */
    private static Map<String, Path> namedContexts(Path dir, Map<String, String> named) throws IOException {
        if (named.isEmpty()) {
            return Map.of();
        }
        Path outside = dir.resolveSibling(dir.getFileName() + ".named");
        Map<String, Path> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(named).entrySet()) {
            Path in = dir.resolve(e.getValue()).normalize();
            if (e.getKey().isEmpty() || !in.startsWith(dir) || in.equals(dir) || !Files.isDirectory(in, LinkOption.NOFOLLOW_LINKS)) {
                throw EngineApiException.badRequest("named context \"" + e.getKey() + "\": " + e.getValue()
                        + " is not a directory inside the build context");
            }
            Path target = Files.createDirectories(outside).resolve(String.valueOf(i++));
            Files.move(in, target);
            out.put(e.getKey(), target);
            // the directories that held it go too when nothing else is in them
            for (Path p = in.getParent(); !p.equals(dir) && isEmptyDirectory(p); p = p.getParent()) {
                Files.delete(p);
            }
        }
        return out;
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Builds.class).warn("removing {}: {}", dir, e.toString());
        }
    }
}
