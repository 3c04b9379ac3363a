package io.jcompose.cli.engine;

import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerInspect;
import io.jcompose.planner.engine.ContainerSummary;
import io.jcompose.planner.engine.Engine;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.planner.engine.ImageInfo;
import io.jcompose.planner.engine.NetworkCreateRequest;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.engine.VolumeCreateRequest;
import io.jcompose.planner.engine.VolumeInfo;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.WaitResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The planner's {@link Engine} port on the Engine API client: one call per method, records
 * mapped by {@link ApiMapping}, API errors turned into {@link EngineException} with Compose's
 * {@code Error response from daemon: } prefix, 304 (already started/stopped) a success.
 */
public final class ApiEngine implements Engine {
    /** Receives the progress lines of an image pull, e.g. to draw layer bars. */
    @FunctionalInterface
    public interface PullListener {
        /**
         * One line of {@code POST /images/create}.
         *
         * @param reference the image being pulled, as the plan names it
         * @param message the engine's line (status, layer id, progress detail)
         */
        void progress(String reference, ProgressMessage message);
    }

    /** Prefix Compose (the docker client) puts before a daemon's error message. */
    public static final String DAEMON_ERROR = "Error response from daemon: ";

    /** A status for failures that are not HTTP answers (the engine could not be reached). */
    public static final int UNREACHABLE = 0;

    private final EngineClient client;
    private final PullListener pullListener;
    private final Function<String, String> registryAuth;

    /**
     * @param client the engine client
     * @param pullListener receives pull progress lines (called from the pulling thread)
     * @param registryAuth the {@code X-Registry-Auth} value for an image reference (null: none),
     *     as the docker client sends the user's login with each pull
     */
    public ApiEngine(EngineClient client, PullListener pullListener, Function<String, String> registryAuth) {
        this.client = client;
        this.pullListener = pullListener;
        this.registryAuth = registryAuth;
    }

    /**
     * Pulls without a registry login.
     *
     * @param client the engine client
     * @param pullListener receives pull progress lines (called from the pulling thread)
     */
    public ApiEngine(EngineClient client, PullListener pullListener) {
        this(client, pullListener, ref -> null);
    }

    /** @param client the engine client; pull progress is not reported, pulls send no login */
    public ApiEngine(EngineClient client) {
        this(client, (ref, m) -> {});
    }

    @Override
    public List<ContainerSummary> listContainers(boolean all, List<String> labelFilters) {
        return call(() -> client.listContainers(all, ApiMapping.labels(labelFilters)).stream().map(ApiMapping::summary).toList());
    }

    @Override
    public ContainerInspect inspectContainer(String idOrName) {
        return call(() -> ApiMapping.inspect(client.inspectContainer(idOrName)));
    }

    @Override
    public String createContainer(ContainerCreateRequest request) {
        return call(() -> client.createContainer(ApiMapping.create(request)).id());
    }

    @Override
    public void startContainer(String id) {
        run(() -> client.startContainer(id));
    }

    @Override
    public void stopContainer(String id, Integer timeoutSeconds) {
        run(() -> client.stopContainer(id, timeoutSeconds));
    }

    @Override
    public void killContainer(String id, String signal) {
        run(() -> client.killContainer(id, signal));
    }

    @Override
    public void removeContainer(String id, boolean force, boolean removeVolumes) {
        run(() -> client.removeContainer(id, force, removeVolumes));
    }

    @Override
    public void renameContainer(String id, String newName) {
        run(() -> client.renameContainer(id, newName));
    }

    @Override
    public int waitContainer(String id, String condition) {
        WaitResponse r = call(() -> client.waitContainer(id, condition));
        if (r.error() != null && r.error().message() != null && !r.error().message().isEmpty()) {
            throw new EngineException(500, DAEMON_ERROR + r.error().message());
        }
        return (int) r.statusCode();
    }

    @Override
    public List<NetworkInfo> listNetworks(List<String> labelFilters) {
        return call(() -> client.listNetworks(ApiMapping.labels(labelFilters)).stream().map(ApiMapping::network).toList());
    }

    @Override
    public NetworkInfo inspectNetwork(String idOrName) {
        return call(() -> ApiMapping.network(client.inspectNetwork(idOrName)));
    }

    @Override
    public String createNetwork(NetworkCreateRequest request) {
        return call(() -> client.createNetwork(ApiMapping.network(request)).id());
    }

    @Override
    public void removeNetwork(String idOrName) {
        run(() -> client.removeNetwork(idOrName));
    }

    @Override
    public List<VolumeInfo> listVolumes(List<String> labelFilters) {
        return call(() -> client.listVolumes(ApiMapping.labels(labelFilters)).stream().map(ApiMapping::volume).toList());
    }

    @Override
    public VolumeInfo inspectVolume(String name) {
        return call(() -> ApiMapping.volume(client.inspectVolume(name)));
    }

    @Override
    public VolumeInfo createVolume(VolumeCreateRequest request) {
        return call(() -> ApiMapping.volume(client.createVolume(ApiMapping.volume(request))));
    }

    @Override
    public void removeVolume(String name, boolean force) {
        run(() -> client.removeVolume(name, force));
    }

    @Override
    public ImageInfo inspectImage(String reference) {
        return call(() -> ApiMapping.image(client.inspectImage(reference)));
    }

    /** Pulls, passing each progress line on; an in-band {@code errorDetail} is the failure. */
    @Override
    public void pullImage(String reference, String platform) {
        String[] p = ApiMapping.pullParameters(reference);
        run(() -> {
            try (JsonLines<ProgressMessage> lines = client.pullImage(p[0], p[1], platform, registryAuth.apply(reference))) {
                for (ProgressMessage m = lines.next(); m != null; m = lines.next()) {
                    if (m.error() != null || m.errorDetail() != null) {
                        String why = m.errorDetail() != null && m.errorDetail().message() != null ? m.errorDetail().message() : m.error();
                        throw new EngineApiException(500, why);
                    }
                    pullListener.progress(reference, m);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    /**
     * Splits an image reference into repository and tag as the docker client does for pulls and
     * pushes: a digest is the tag, no tag means {@code latest}.
     *
     * @param reference e.g. {@code 127.0.0.1:5000/app:1.0}
     * @return {@code {repository, tag}}
     */
    public static String[] referenceParts(String reference) {
        return ApiMapping.pullParameters(reference);
    }

    private static void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** Runs one API call, translating the client's failures into the port's exception. */
    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineApiException e) {
            throw new EngineException(e.status(), DAEMON_ERROR + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new EngineException(UNREACHABLE, e.getMessage());
        }
    }
}
