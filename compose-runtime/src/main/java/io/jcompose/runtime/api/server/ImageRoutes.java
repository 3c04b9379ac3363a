package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.ProgressMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code /images/...}: pull and push as JSON progress streams, list, inspect, history, tag, delete, prune;
 * and {@code /distribution/{name}/json}, the registry's view of a reference.
 */
public final class ImageRoutes {

    static final Set<String> LIST_FILTERS = Set.of("before", "dangling", "label", "reference", "since", "until");

    private ImageRoutes() {}

    /** Registers the routes on {@code router}. */
    public static void register(Router r, ImageBackend images) {
        r.add("GET", "/images/json", req -> {
            Filters f = req.filters(LIST_FILTERS);
            return ApiResponse.ok(images.list(req.bool("all"), f));
        });
        r.add("POST", "/images/create", req -> {
            String from = req.query("fromImage");
            if (from == null || from.isEmpty()) {
                throw EngineApiException.notImplemented("importing images (fromSrc) is not supported by jcomposed; use fromImage");
            }
            String auth = registryAuth(req);
            return progressStream(progress -> images.pull(from, req.query("tag"), req.query("platform"), auth, progress));
        });
        r.add("POST", "/images/prune", req -> ApiResponse.ok(images.prune(req.filters())));
        r.add("GET", "/images/{name*}/json", req -> ApiResponse.ok(images.inspect(req.param("name"))));
        r.add("GET", "/images/{name*}/history", req -> ApiResponse.ok(images.history(req.param("name"))));
        r.add("POST", "/images/{name*}/push", req -> {
            String auth = registryAuth(req);
            return progressStream(progress -> images.push(req.param("name"), req.query("tag"), auth, progress));
        });
        r.add("POST", "/images/{name*}/tag", req -> {
            String repo = req.query("repo");
            if (repo == null || repo.isEmpty()) {
                throw EngineApiException.badRequest("repository name must have at least one component");
            }
            images.tag(req.param("name"), repo, req.query("tag"));
            return new ApiResponse.NoBody(201);
        });
        r.add("POST", "/auth", req -> ApiResponse.ok(images.login(new String(req.body(), java.nio.charset.StandardCharsets.UTF_8))));
        r.add("GET", "/distribution/{name*}/json", req -> ApiResponse.ok(images.distribution(req.param("name"), registryAuth(req))));
        r.add("DELETE", "/images/{name*}", req -> ApiResponse.ok(images.remove(req.param("name"), req.bool("force"), req.bool("noprune"))));
    }

    /**
     * A progress stream: an error before the first line is an HTTP error; after it, an in-band
     * {@code {"errorDetail":...,"error":...}} line with status 200, as moby does.
     */
    private static ApiResponse progressStream(Consumer<Consumer<ProgressMessage>> action) {
        return JsonLineStream.of(action, ProgressMessage::error);
    }

    /** {@code X-Registry-Auth}: base64url JSON (padding optional); null when absent. */
    static String registryAuth(ApiRequest req) {
        String h = req.header("X-Registry-Auth");
        if (h == null || h.isBlank()) {
            return null;
        }
        String s = h.trim().replace('+', '-').replace('/', '_');
        while (s.endsWith("=")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest("invalid X-Registry-Auth header: not base64");
        }
    }
}
