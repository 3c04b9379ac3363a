package io.jcompose.runtime.daemon;

/** Version strings the daemon reports. */
public final class EngineIdentity {

    /** jcompose's own version. */
    public static final String JCOMPOSE_VERSION = "0.1.0";

    /**
     * The engine {@code Version} in {@code /version} and {@code /info}: the Docker release whose API
     * (1.44) we serve, marked as ours. Testcontainers requires a version ≥ 1.6.0 here, so our own
     * 0.1.0 would not do (ENGINE-API.md §1).
     */
    public static final String ENGINE_VERSION = "25.0.0-jcompose";

    /** The {@code Platform.Name} of {@code /version}. */
    public static final String PLATFORM = "jcompose " + JCOMPOSE_VERSION;

    private EngineIdentity() {}
}
