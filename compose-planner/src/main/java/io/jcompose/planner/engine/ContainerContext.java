package io.jcompose.planner.engine;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import java.util.Map;

/**
 * Everything {@link ContainerRequests#forService} needs besides the service itself: which
 * replica, under which name, with which hash, and the containers of other services it refers to.
 *
 * @param project the project (name, directory, files, top-level networks and volumes)
 * @param service the service
 * @param number the replica number (from 1)
 * @param containerName the container's name
 * @param configHash the service's config hash ({@code com.docker.compose.config-hash})
 * @param imageId the image ID for {@code com.docker.compose.image}, or {@code null} if unknown
 * @param serviceContainers for {@code service:x} references ({@code network_mode}, {@code ipc},
 *     {@code pid}, {@code volumes_from}) and {@code links}: service name to the name of the
 *     container to refer to
 * @param inheritedVolumes anonymous volumes carried over from the container being replaced:
 *     target path to volume name ({@code --renew-anon-volumes} passes none)
 */
public record ContainerContext(
    Project project,
    Service service,
    int number,
    String containerName,
    String configHash,
    String imageId,
    Map<String, String> serviceContainers,
    Map<String, String> inheritedVolumes) {
  public ContainerContext {
    serviceContainers = serviceContainers == null ? Map.of() : Map.copyOf(serviceContainers);
    inheritedVolumes = inheritedVolumes == null ? Map.of() : Map.copyOf(inheritedVolumes);
  }
}
