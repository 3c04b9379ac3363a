package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.AuthResponse;
import io.jcompose.runtime.api.model.DistributionInspect;
import io.jcompose.runtime.api.model.ImageDeleteItem;
import io.jcompose.runtime.api.model.ImageHistoryItem;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.api.model.ImageSummary;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.PruneReport;
import java.util.List;
import java.util.function.Consumer;

/**
 * Port: the image service. 404 {@code No such image: <ref>} (the text matters: docker-py and
 * Compose 1.29 pull only on it), 409 image in use.
 */
public interface ImageBackend {

    /**
     * {@code POST /images/create?fromImage=&tag=&platform=}. Progress lines go to {@code progress};
     * throw before the first line for an HTTP error, afterwards the route reports it in-band. The
     * last status must be Docker's ({@code Status: Downloaded newer image for <ref>} /
     * {@code Status: Image is up to date for <ref>}).
     *
     * @param registryAuth the decoded {@code X-Registry-Auth} header (JSON), or null
     */
    void pull(String fromImage, String tag, String platform, String registryAuth, Consumer<ProgressMessage> progress);

    /** {@code POST /images/{name}/push}; same progress rules as {@link #pull}. */
    void push(String name, String tag, String registryAuth, Consumer<ProgressMessage> progress);

    List<ImageSummary> list(boolean all, Filters filters);

    ImageInspect inspect(String name);

    /**
     * {@code GET /images/{name}/history}: one entry per history record of the image config,
     * newest first; 404 for an unknown image.
     */
    default List<ImageHistoryItem> history(String name) {
        throw io.jcompose.runtime.api.EngineApiException.notImplemented("image history is not supported by this engine");
    }

    /** {@code POST /images/{name}/tag?repo=&tag=}. */
    void tag(String name, String repo, String tag);

    List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune);

    PruneReport prune(Filters filters);

    /** How many images ({@code /info}). */
    int count();

    /**
     * {@code GET /distribution/{name}/json}: asks the registry what {@code name} points at,
     * without pulling. 400 for a malformed reference, 404 when the registry has no such image.
     */
    /**
     * {@code POST /auth}: checks Docker {@code AuthConfig} credentials against their registry.
     * 401 when the registry refuses them.
     */
    default AuthResponse login(String authConfigJson) {
        throw io.jcompose.runtime.api.EngineApiException.notImplemented("registry login is not supported by this engine");
    }

    default DistributionInspect distribution(String name, String registryAuth) {
        throw io.jcompose.runtime.api.EngineApiException.notImplemented("distribution inspect is not supported by this engine");
    }
}
