package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.*;
import java.util.List;

/** Test base: every method fails until a test overrides the ones it needs. */
class UnsupportedNetworkBackend implements NetworkBackend {
    @Override
    public NetworkCreateResponse create(NetworkCreateRequest request) {
        throw new UnsupportedOperationException("create");
    }

    @Override
    public List<NetworkResource> list(Filters filters) {
        throw new UnsupportedOperationException("list");
    }

    @Override
    public NetworkResource inspect(String id, boolean verbose, String scope) {
        throw new UnsupportedOperationException("inspect");
    }

    @Override
    public void remove(String id) {
        throw new UnsupportedOperationException("remove");
    }

    @Override
    public void connect(String id, NetworkConnectRequest request) {
        throw new UnsupportedOperationException("connect");
    }

    @Override
    public void disconnect(String id, NetworkDisconnectRequest request) {
        throw new UnsupportedOperationException("disconnect");
    }

    @Override
    public PruneReport prune(Filters filters) {
        throw new UnsupportedOperationException("prune");
    }
}
