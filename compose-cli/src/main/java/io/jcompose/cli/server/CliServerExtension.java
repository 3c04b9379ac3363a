package io.jcompose.cli.server;

import io.jcompose.runtime.daemon.DaemonExtension;
import java.io.IOException;

/**
 * Runs the {@link CliServer} inside {@code jcomposed}, next to its API socket (found by
 * {@link java.util.ServiceLoader} through META-INF/services). A daemon without a {@code unix://}
 * socket has no CLI server; {@code JCOMPOSE_CLI_SERVER=0} in the daemon's environment turns it off.
 */
public final class CliServerExtension implements DaemonExtension {
    /** The daemon's environment variable that turns the CLI server off when {@code 0}. */
    public static final String SWITCH = "JCOMPOSE_CLI_SERVER";

    private CliServer server;

    /** Made by the {@link java.util.ServiceLoader}. */
    public CliServerExtension() {}

    @Override
    public void start(Context context) throws IOException {
        if (context.socketDirectory() == null || "0".equals(System.getenv(SWITCH))) {
            return;
        }
        server = CliServer.start(context.socketDirectory(), BuildId.current());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
