package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.NetworkConnectRequest;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.NetworkCreateResponse;
import io.jcompose.runtime.api.model.NetworkDisconnectRequest;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.PruneReport;
import java.util.List;

/**
 * Port: networks. {@code id} accepts ID, unique prefix or name. 404 {@code network <x> not found},
 * 409 duplicate name, 403 removing {@code bridge/host/none} or a network with endpoints.
 */
public interface NetworkBackend {

    NetworkCreateResponse create(NetworkCreateRequest request);

    /** Filters {@code name} (substring), {@code id}, {@code label}, {@code driver}, {@code type}, {@code scope}. */
    List<NetworkResource> list(Filters filters);

    NetworkResource inspect(String id, boolean verbose, String scope);

    void remove(String id);

    void connect(String id, NetworkConnectRequest request);

    void disconnect(String id, NetworkDisconnectRequest request);

    PruneReport prune(Filters filters);
}
