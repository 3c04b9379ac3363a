package io.jcompose.runtime.api.server;

/** Assembles the whole Engine API from the backend ports. */
public final class EngineApi {

    private EngineApi() {}

    /** The ports the API serves from. */
    public record Backends(
            SystemBackend system,
            EventSource events,
            VolumeBackend volumes,
            ContainerBackend containers,
            ImageBackend images,
            NetworkBackend networks,
            BuildBackend builds) {

        /** Without a builder: {@code POST /build} answers 501. */
        public Backends(SystemBackend system, EventSource events, VolumeBackend volumes, ContainerBackend containers,
                ImageBackend images, NetworkBackend networks) {
            this(system, events, volumes, containers, images, networks, null);
        }
    }

    /** A router with every route of the API. */
    public static Router router(Backends b) {
        Router r = new Router();
        SystemRoutes.register(r, b.system(), b.events());
        VolumeRoutes.register(r, b.volumes());
        ContainerRoutes.register(r, b.containers());
        ImageRoutes.register(r, b.images());
        NetworkRoutes.register(r, b.networks());
        if (b.builds() != null) {
            BuildRoutes.register(r, b.builds());
        }
        return r;
    }
}
