package io.jcompose.runtime.daemon;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A service another module runs inside {@code jcomposed}, started after the Engine API listens and
 * closed before it stops. Found with {@link java.util.ServiceLoader} on the daemon's class path, so
 * this module needs no arrow to the module that implements one (compose-cli's CLI server).
 *
 * <p>An extension that cannot start is logged and left out; the daemon serves without it.
 */
public interface DaemonExtension extends AutoCloseable {

    /**
     * Starts serving.
     *
     * @param context where the daemon listens and keeps its state
     * @throws IOException when the extension cannot start (the daemon goes on without it)
     */
    void start(Context context) throws IOException;

    /** Stops serving; called once, before the daemon stops its API. */
    @Override
    void close();

    /**
     * What an extension learns about its daemon.
     *
     * @param socketDirectory the directory of the daemon's first {@code unix://} API socket, or
     *     null when the daemon listens on TCP only
     * @param execRoot the daemon's exec root (run-time state)
     * @param dataRoot the daemon's data root
     */
    record Context(Path socketDirectory, Path execRoot, Path dataRoot) {}
}
