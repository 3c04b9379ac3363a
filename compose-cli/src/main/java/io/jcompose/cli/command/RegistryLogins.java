package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.engine.EngineConnection;
import io.jcompose.runtime.image.reference.ImageReference;
import io.jcompose.runtime.image.registry.DockerConfigAuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import java.util.Map;
import java.util.Set;

/**
 * What {@code login} and {@code logout} share: the Docker CLI's config file (so {@code docker}
 * and jcompose see the same logins), the registry settings of the engine's configuration
 * (insecure registries), and how a server argument names a registry.
 */
public final class RegistryLogins {
    private RegistryLogins() {}

    /** The Docker CLI's config file for the run's environment ({@code DOCKER_CONFIG}, else {@code ~/.docker}). */
    static DockerConfigAuthSource authFile(Map<String, String> env) {
        return DockerConfigAuthSource.forEnvironment(env);
    }

    /** The registry settings the engine would use (insecure registries), with the given credentials file. */
    static RegistryConfig registryConfig(JcomposeCommand root, DockerConfigAuthSource auth) {
        EngineConnection c = EngineConnection.of(root.globalOptions(), root.environment());
        return RegistryConfig.defaults().withInsecureRegistries(Set.copyOf(c.config().insecureRegistries())).withAuth(auth);
    }

    /**
     * The registry a server argument names, as the Docker CLI reads it: none or a Docker Hub
     * address is {@code docker.io}; otherwise the host[:port], with any scheme or path dropped.
     */
    static String registryHost(String server) {
        if (server == null || server.isBlank()) {
            return ImageReference.DOCKER_HUB;
        }
        String host = DockerConfigAuthSource.registryHost(server);
        if (host.isEmpty()) {
            throw new CliException("invalid registry address \"" + server + "\"", ExitCodes.FAILURE);
        }
        return host;
    }

    /**
     * The {@code X-Registry-Auth} JSON for pulling or pushing {@code image}, as docker compose sends
     * it: the user's login for the image's registry from the Docker config file (credential helpers
     * included), or null when there is none (or the reference or config cannot be read: the engine
     * then uses its own settings, and a registry that wants a login says so).
     */
    public static String authJson(Map<String, String> env, String image) {
        try {
            String host = ImageReference.parse(image).domain();
            return authFile(env).lookup(host).map(c -> JSON.createObjectNode()
                    .put("username", c.username()).put("password", c.password()).put("serveraddress", host).toString())
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** How Docker names a registry in messages: Docker Hub by its v1 address. */
    static String display(String registryHost) {
        return registryHost.equals(ImageReference.DOCKER_HUB) ? "https://index.docker.io/v1/" : registryHost;
    }
}
