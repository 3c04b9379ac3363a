package io.jcompose.runtime.api.model;

import java.util.List;
import java.util.Map;

/**
 * A container's {@code Config}: the top-level fields of {@code POST /containers/create} and
 * {@code Config} in inspect (ENGINE-API.md §2.1). {@code ExposedPorts} and {@code Volumes} are
 * sets encoded as maps to empty objects ({@code {"80/tcp":{}}}).
 */
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        Map<String, Map<String, Object>> exposedPorts,
        Boolean tty,
        Boolean openStdin,
        Boolean stdinOnce,
        List<String> env,
        List<String> cmd,
        HealthConfig healthcheck,
        String image,
        Map<String, Map<String, Object>> volumes,
        String workingDir,
        List<String> entrypoint,
        Boolean networkDisabled,
        String macAddress,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        List<String> shell) {

    /** A config with only an image and a command (tests, simple runs). */
    public static ContainerConfig of(String image, List<String> cmd) {
        return new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, cmd, null, image, null, null, null, null,
                null, null, null, null, null);
    }
}
