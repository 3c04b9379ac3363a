package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import io.jcompose.runtime.api.model.VolumeListResponse;
import java.util.List;

/** {@code /volumes}, {@code /volumes/create}, {@code /volumes/{name}}, {@code /volumes/prune}. */
public final class VolumeRoutes {

    private VolumeRoutes() {}

    /** Registers the routes on {@code router}. */
    public static void register(Router router, VolumeBackend volumes) {
        router.add("GET", "/volumes", req -> ApiResponse.ok(new VolumeListResponse(volumes.list(req.filters()), List.of())));
        router.add("POST", "/volumes/create", req -> {
            VolumeCreateRequest body = req.body(VolumeCreateRequest.class);
            return ApiResponse.created(volumes.create(body == null ? new VolumeCreateRequest(null, null, null, null) : body));
        });
        router.add("POST", "/volumes/prune", req -> {
            Filters filters = req.filters();
            if (req.versionBelow(new ApiVersion(1, 42)) && !filters.has("all")) {
                // before 1.42 prune removed named volumes too (moby adds all=true for old clients)
                Map<String, Set<String>> all = new LinkedHashMap<>(filters.values());
                all.put("all", Set.of("true"));
                filters = new Filters(all);
            }
            return ApiResponse.ok(volumes.prune(filters));
        });
        router.add("GET", "/volumes/{name}", req -> ApiResponse.ok(volumes.inspect(req.param("name"))));
        router.add("DELETE", "/volumes/{name}", req -> {
            volumes.remove(req.param("name"), req.bool("force"));
            return ApiResponse.noContent();
        });
    }
}
