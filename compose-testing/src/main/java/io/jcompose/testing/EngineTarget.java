package io.jcompose.testing;

import io.jcompose.cli.CliException;
import io.jcompose.cli.GlobalFlags;
import io.jcompose.cli.GlobalOptions;
import io.jcompose.cli.engine.EngineConnection;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine a stack runs on, resolved as the CLI resolves it ({@link EngineConnection}): the
 * host given to {@link ComposeProject#withEngine}, else the system property {@value #HOST_PROPERTY},
 * else {@code JCOMPOSE_HOST}, else jcompose's own socket; the daemon configuration from
 * {@value #CONFIG_PROPERTY}, else {@code JCOMPOSE_DAEMON_CONFIG}. jcomposed is started when its
 * socket is named and nothing answers, as {@code jcompose up} does.
 *
 * @param env the variables {@link EngineConnection} reads ({@code JCOMPOSE_HOST},
 *     {@code JCOMPOSE_DAEMON_CONFIG})
 */
record EngineTarget(Map<String, String> env) {
    /** System property naming the engine host (a test suite's private engine). */
    static final String HOST_PROPERTY = "jcompose.host";

    /** System property naming the daemon configuration file. */
    static final String CONFIG_PROPERTY = "jcompose.daemon.config";

    EngineTarget {
        env = Map.copyOf(env);
    }

    /**
     * @param host the explicit host ({@code unix:///path}), or null for the defaults
     * @return the target
     */
    static EngineTarget resolve(String host) {
        Map<String, String> env = new HashMap<>();
        first(host, System.getProperty(HOST_PROPERTY), System.getenv("JCOMPOSE_HOST"))
                .ifPresent(h -> env.put("JCOMPOSE_HOST", h));
        first(System.getProperty(CONFIG_PROPERTY), System.getenv(EngineConnection.CONFIG_VARIABLE))
                .ifPresent(c -> env.put(EngineConnection.CONFIG_VARIABLE, c));
        return new EngineTarget(env);
    }

    private static Optional<String> first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The CLI's view of this engine. */
    EngineConnection connection() {
        try {
            return EngineConnection.of(GlobalOptions.resolve(new GlobalFlags(), env), env);
        } catch (CliException e) {
            throw new ComposeException(e.getMessage(), e);
        }
    }

    /** A client of an engine that answers, starting jcomposed when it is ours. */
    EngineClient connect() {
        EngineConnection c = connection();
        try {
            return c.connect();
        } catch (CliException e) {
            throw new ComposeException(e.getMessage(), e);
        }
    }

    /**
     * The engine's Unix socket from the host alone (no daemon configuration read: this runs on the
     * test's thread before anything else), or empty for a TCP host (no session lease or CLI server
     * there) or a host that does not parse ({@link #connect()} reports that).
     */
    Optional<Path> socket() {
        try {
            return DockerHost.parse(GlobalOptions.resolve(new GlobalFlags(), env).host()) instanceof DockerHost.Unix u
                    ? Optional.of(u.path()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // connect() reports it
        }
    }
}
