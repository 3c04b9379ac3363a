package io.jcompose.runtime.api.server;

/** Assembles the whole Engine API from the backend ports. */
public final class EngineApi {

    private EngineApi() {}

    /** The ports the API serves from. */
    public record Backends(SystemBackend system, EventSource events, VolumeBackend volumes) {}

    /** A router with every route of the API. */
    public static Router router(Backends b) {
        Router r = new Router();
        SystemRoutes.register(r, b.system(), b.events());
        VolumeRoutes.register(r, b.volumes());
        return r;
    }
}
