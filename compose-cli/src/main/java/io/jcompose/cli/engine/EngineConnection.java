package io.jcompose.cli.engine;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.GlobalOptions;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.DaemonLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a command reaches its engine: the host of {@code -H} / {@code JCOMPOSE_HOST}, and, when
 * that host is the socket of jcompose's own daemon configuration, the right to start the daemon
 * when none answers ({@link #connect()}).
 *
 * <p>The daemon configuration is {@code /etc/jcompose/daemon.json} (Docker's key names, e.g.
 * {@code "registry-mirrors": ["http://127.0.0.1:5000"]}), or the file {@value #CONFIG_VARIABLE}
 * names. A daemon started from here gets that file as {@code --config-file}, so it uses the
 * user's mirrors, data root and hosts.
 *
 * @param host where the engine listens
 * @param config the daemon configuration (defaults when the file is absent)
 * @param configFile the configuration file, or null when there is none
 */
public record EngineConnection(DockerHost host, DaemonConfig config, Path configFile) {

    /** Names another daemon configuration file than {@link DaemonConfig#DEFAULT_CONFIG_FILE}. */
    public static final String CONFIG_VARIABLE = "JCOMPOSE_DAEMON_CONFIG";

    /**
     * Resolves the engine of a run.
     *
     * @param options the global options ({@code -H})
     * @param env the environment ({@value #CONFIG_VARIABLE})
     * @return the connection
     * @throws CliException when the host or the daemon configuration is not valid
     */
    public static EngineConnection of(GlobalOptions options, Map<String, String> env) {
        DockerHost host;
        try {
            host = DockerHost.parse(options.host());
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid -H value \"" + options.host() + "\": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
        String named = env.get(CONFIG_VARIABLE);
        Path file = named == null || named.isEmpty() ? DaemonConfig.DEFAULT_CONFIG_FILE : Path.of(named);
        DaemonConfig config;
        try {
            config = DaemonConfig.load(file, named != null && !named.isEmpty());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        }
        return new EngineConnection(host, config, Files.exists(file) ? file : null);
    }

    /**
     * Whether {@link #host()} is the socket the configured daemon listens on, i.e. a daemon
     * jcompose may start by itself.
     *
     * @return true for our own daemon's socket
     */
    public boolean ownDaemon() {
        return host instanceof DockerHost.Unix u && u.path().equals(config.socketPath());
    }

    /**
     * A client for the host, without checking that anything answers.
     *
     * @return the client
     */
    public EngineClient client() {
        return new EngineClient(host);
    }

    /**
     * A client for an engine that answers: starts jcompose's daemon when the host is its socket
     * and nothing answers ({@link DaemonLauncher#ensureRunning}).
     *
     * @return the client
     * @throws CliException one line saying why no engine can be reached
     */
    public EngineClient connect() {
        EngineClient client = client();
        if (client.ping()) {
            return client;
        }
        if (!ownDaemon()) {
            throw new CliException("cannot connect to the engine at " + host + ": nothing answers there"
                    + " (start one with 'jcompose -H " + host + " engine start')", ExitCodes.FAILURE);
        }
        if (start(config, configFile) instanceof DaemonLauncher.Result.Failed f) {
            throw new CliException(f.reason(), ExitCodes.FAILURE);
        }
        return client;
    }

    /**
     * Starts a daemon for {@code host} with this configuration, its hosts replaced by
     * {@code host} when that is another socket.
     *
     * @param dataRoot another data root, or null
     * @param execRoot another exec root, or null
     * @return what the launcher did
     */
    public DaemonLauncher.Result start(Path dataRoot, Path execRoot) {
        DaemonConfig c = config;
        if (!ownDaemon()) {
            if (!(host instanceof DockerHost.Unix)) {
                return new DaemonLauncher.Result.Failed("jcompose starts its engine on a unix:// socket only, not on " + host);
            }
            c = c.withHosts(List.of(host.toString()));
        }
        if (dataRoot != null) {
            c = c.withDataRoot(dataRoot.toAbsolutePath());
        }
        if (execRoot != null) {
            c = c.withExecRoot(execRoot.toAbsolutePath());
        }
        return start(c, configFile);
    }

    private static DaemonLauncher.Result start(DaemonConfig c, Path file) {
        return DaemonLauncher.ensureRunning(c, file);
    }
}
