package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.EndpointSettings;
import io.jcompose.runtime.api.model.HostConfig;
import io.jcompose.runtime.api.model.MountPoint;
import java.util.List;
import java.util.Map;

/**
 * What the daemon keeps about a container beyond what the container engine keeps (the process
 * spec and the shim's state files): its Docker-level identity and configuration, persisted in the
 * state store ({@code <dataRoot>/state/containers/<id>.json}) so a restarted daemon shows it as
 * before.
 *
 * @param name the name without the leading slash
 * @param created RFC 3339 creation time
 * @param imageRef the image as the client named it ({@code Config.Image})
 * @param imageId the image's id ({@code sha256:...})
 * @param config the effective config: the request merged with the image's defaults
 * @param hostConfig the request's host config, with Docker's defaults filled in
 * @param networks the networks to attach at start, in attach order, with their endpoint settings
 * @param mounts the mounts as inspect shows them
 * @param anonymousVolumes volumes made for this container ({@code rm -v} removes them)
 *     (RestartCount and the manual stop live in the supervisor's {@code RestartRecord})
 */
record ContainerRecord(
        String id,
        String name,
        String created,
        String imageRef,
        String imageId,
        ContainerConfig config,
        HostConfig hostConfig,
        Map<String, EndpointSettings> networks,
        List<MountPoint> mounts,
        List<String> anonymousVolumes) {

    static final String KIND = "containers";

    ContainerRecord withName(String newName) {
        return new ContainerRecord(id, newName, created, imageRef, imageId, config, hostConfig, networks, mounts, anonymousVolumes);
    }

    ContainerRecord withNetworks(Map<String, EndpointSettings> value) {
        return new ContainerRecord(id, name, created, imageRef, imageId, config, hostConfig, value, mounts, anonymousVolumes);
    }

    /** The network mode as Docker reports it ({@code bridge}, {@code host}, {@code none}, {@code container:<id>}, a network name). */
    String networkMode() {
        String m = hostConfig == null ? null : hostConfig.networkMode();
        return m == null || m.isEmpty() || m.equals("default") ? "bridge" : m;
    }

    boolean autoRemove() {
        return hostConfig != null && Boolean.TRUE.equals(hostConfig.autoRemove());
    }
}
