package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.NetworkConnectRequest;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.NetworkDisconnectRequest;
import java.util.Set;

/** {@code /networks/...}. */
public final class NetworkRoutes {

    static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "id", "label", "name", "scope", "type");

    private NetworkRoutes() {}

    /** Registers the routes on {@code router}. */
    public static void register(Router r, NetworkBackend networks) {
        r.add("GET", "/networks", req -> {
            Filters f = req.filters(LIST_FILTERS);
            return ApiResponse.ok(networks.list(f));
        });
        r.add("POST", "/networks/create", req -> {
            NetworkCreateRequest body = req.body(NetworkCreateRequest.class);
            if (body == null || body.name() == null || body.name().isBlank()) {
                throw EngineApiException.badRequest("invalid name: name cannot be empty");
            }
            return ApiResponse.created(networks.create(body));
        });
        r.add("POST", "/networks/prune", req -> ApiResponse.ok(networks.prune(req.filters())));
        r.add("GET", "/networks/{id}", req -> ApiResponse.ok(networks.inspect(req.param("id"), req.bool("verbose"), req.query("scope"))));
        r.add("POST", "/networks/{id}/connect", req -> {
            NetworkConnectRequest body = req.body(NetworkConnectRequest.class);
            if (body == null || body.container() == null || body.container().isEmpty()) {
                throw EngineApiException.badRequest("no container specified");
            }
            networks.connect(req.param("id"), body);
            return new ApiResponse.NoBody(200);
        });
        r.add("POST", "/networks/{id}/disconnect", req -> {
            NetworkDisconnectRequest body = req.body(NetworkDisconnectRequest.class);
            if (body == null || body.container() == null || body.container().isEmpty()) {
                throw EngineApiException.badRequest("no container specified");
            }
            networks.disconnect(req.param("id"), body);
            return new ApiResponse.NoBody(200);
        });
        r.add("DELETE", "/networks/{id}", req -> {
            networks.remove(req.param("id"));
            return ApiResponse.noContent();
        });
    }
}
