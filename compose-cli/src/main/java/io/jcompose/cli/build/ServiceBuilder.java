package io.jcompose.cli.build;

import io.jcompose.model.BuildConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.model.BuildMessage;
import io.jcompose.runtime.api.model.ImageBuildOptions;
import io.jcompose.runtime.image.build.context.ContextException;
import io.jcompose.runtime.image.build.context.DockerfileSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a service's image through the Engine API's {@code POST /build}, the way compose v2's
 * classic builder path does ({@code pkg/compose/build_classic.go}): the context directory sent
 * as a tar ({@link ContextArchive}), the {@code build:} section as query parameters, the image
 * tagged with the service's {@code image:} (else {@code <project>-<service>}) and the
 * {@code tags:}, labelled {@code com.docker.compose.image.builder=classic}. Works on any engine
 * that serves {@code POST /build}: jcomposed or a dockerd.
 */
public final class ServiceBuilder {

    /** The label compose puts on images it builds, naming the builder. */
    public static final String BUILDER_LABEL = "com.docker.compose.image.builder";

    private final EngineClient client;
    private final BuildOutput output;

    /**
     * @param client the engine
     * @param output where the builder's stream is shown
     */
    public ServiceBuilder(EngineClient client, BuildOutput output) {
        this.client = client;
        this.output = output;
    }

    /**
     * Builds one service's image.
     *
     * @param project the project
     * @param service a service with a {@code build:} section
     * @param flags the command line's build flags
     * @return the image id the engine reported ({@code sha256:...}), or null when it named none
     * @throws BuildFailure when the build failed (the message is the one line to show)
     */
    public String build(Project project, Service service, BuildFlags flags) {
        BuildConfig b = service.build();
        refuseUnsupported(service.name(), b);
        Path context = Path.of(b.context());
        DockerfileSource dockerfile;
        Path tar = null;
        try {
            boolean inline = b.dockerfileInline() != null && !b.dockerfileInline().isEmpty();
            dockerfile = DockerfileSource.resolve(context, inline ? null : b.dockerfile(), inline ? b.dockerfileInline() : null);
            Map<String, Path> named = namedContexts(service.name(), b);
            tar = Files.createTempFile("jcompose-build-", ".tar");
            ContextArchive archive = ContextArchive.write(context, dockerfile, named, tar);
            output.sendingContext(Files.size(tar));
            ImageBuildOptions options = options(project, service, flags, archive.dockerfile(), archive.namedContexts());
            try (JsonLines<BuildMessage> lines = client.build(options, tar, "{}")) {
                for (BuildMessage m = lines.next(); m != null; m = lines.next()) {
                    output.accept(m);
                }
            }
            return output.imageId();
        } catch (ContextException e) {
            throw new BuildFailure("service \"" + service.name() + "\": " + e.getMessage(), 1);
        } catch (EngineApiException e) {
            throw new BuildFailure("Error response from daemon: " + e.getMessage(), 1);
        } catch (IOException e) {
            throw new BuildFailure("service \"" + service.name() + "\": build failed: " + e.getMessage(), 1);
        } catch (UncheckedIOException e) {
            throw new BuildFailure("service \"" + service.name() + "\": build failed: " + e.getMessage(), 1);
        } finally {
            if (tar != null) {
                try {
                    Files.deleteIfExists(tar);
                } catch (IOException ignored) {
                    // a temp file left behind is not worth failing the build for
                }
            }
        }
    }

    /**
     * The {@code POST /build} parameters of a service, as compose's {@code imageBuildOptions}
     * makes them.
     *
     * @param project the project (its name and environment)
     * @param service the service
     * @param flags the command line's flags
     * @param dockerfile the Dockerfile's name in the context tar
     * @param namedContexts the {@code additional_contexts}' directories in the context tar, by name
     * @return the options
     */
    public static ImageBuildOptions options(Project project, Service service, BuildFlags flags, String dockerfile,
            Map<String, String> namedContexts) {
        BuildConfig b = service.build();
        List<String> tags = new ArrayList<>(b.tags());
        tags.add(ContainerRequests.imageName(project, service));
        Map<String, String> labels = new TreeMap<>(b.labels());
        labels.put(BUILDER_LABEL, "classic");
        List<String> hosts = new ArrayList<>();
        b.extraHosts().forEach((host, ips) -> ips.forEach(ip -> hosts.add(host + ":" + ip)));
        String platform = b.platforms().size() == 1 ? b.platforms().getFirst() : service.platform();
        return new ImageBuildOptions(tags, dockerfile, buildArgs(project, b, flags), labels, b.noCache() || flags.noCache(),
                b.pull() || flags.pull(), blank(b.network()), blank(b.target()), blank(platform), hosts, false, namedContexts,
                b.shmSize(), ulimits(b));
    }

    /**
     * {@code build.ulimits} for the RUN containers. Compose's classic path leaves them (and
     * {@code shm_size}) out; its BuildKit path applies them, and {@code POST /build} takes both,
     * so they are sent.
     */
    private static List<io.jcompose.runtime.api.model.HostConfig.Ulimit> ulimits(BuildConfig b) {
        return b.ulimits().entrySet().stream()
                .map(e -> new io.jcompose.runtime.api.model.HostConfig.Ulimit(e.getKey(), e.getValue().soft(), e.getValue().hard()))
                .toList();
    }

    /**
     * The {@code additional_contexts} as local directories. Only jcomposed can take them (its
     * {@code jcompose-contexts} extension of {@code POST /build}); dockerd's classic builder has no
     * way to, so against another engine they are refused, as compose's classic path does. Image
     * ({@code docker-image://}), URL, {@code service:} and {@code target:} contexts are refused.
     */
    private Map<String, Path> namedContexts(String service, BuildConfig b) {
        if (b.additionalContexts().isEmpty()) {
            return Map.of();
        }
        String platform = client.version().platform() == null ? "" : client.version().platform().name();
        if (platform == null || !platform.startsWith("jcompose")) {
            throw new BuildFailure("service \"" + service + "\": the engine's builder (POST /build) does not support additional_contexts"
                    + " (jcomposed does); remove them from the build section or build on jcomposed", 1);
        }
        Map<String, Path> out = new TreeMap<>();
        b.additionalContexts().forEach((name, value) -> {
            Path dir = Path.of(value);
            if (value.contains("://") || value.contains(":") && !dir.isAbsolute() || !Files.isDirectory(dir)) {
                throw new BuildFailure("service \"" + service + "\": additional context \"" + name + "\" (" + value
                        + ") is not a local directory; only directories are supported", 1);
            }
            out.put(name, dir);
        });
        return out;
    }

    /**
     * The build arguments as compose merges them ({@code resolveAndMergeBuildArgs}): the
     * service's {@code args}, overridden by {@code --build-arg}; a value-less one takes the
     * project environment's value, and stays value-less when there is none.
     */
    static Map<String, String> buildArgs(Project project, BuildConfig b, BuildFlags flags) {
        Map<String, String> merged = new LinkedHashMap<>(b.args());
        merged.putAll(flags.buildArgs());
        merged.replaceAll((k, v) -> v != null ? v : project.environment().get(k));
        return merged;
    }

    /** What the classic builder API cannot carry: one line, as compose's classic path says it. */
    private static void refuseUnsupported(String service, BuildConfig b) {
        String what = null;
        if (b.platforms().size() > 1) {
            what = "multi-arch build (" + b.platforms().size() + " platforms)";
        } else if (!b.ssh().isEmpty()) {
            what = "ssh";
        } else if (!b.secrets().isEmpty()) {
            what = "build secrets";
        } else if (b.privileged()) {
            what = "privileged builds";
        }
        if (what != null) {
            throw new BuildFailure("service \"" + service + "\": the engine's builder (POST /build) does not support " + what
                    + "; remove it from the build section", 1);
        }
        if (b.context().contains("://") || b.context().startsWith("git@")) {
            throw new BuildFailure("service \"" + service + "\": remote build contexts are not supported (" + b.context()
                    + "); clone it and use a local directory", 1);
        }
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
