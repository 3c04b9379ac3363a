package io.jcompose.planner.engine;

import java.util.List;

/**
 * The engine port: the calls the planner and reconciler make, shaped after the Docker Engine API
 * calls Compose v2 makes (one method per endpoint). The CLI adapts it onto its engine client; the
 * same port can therefore drive jcompose's own daemon or a real dockerd.
 *
 * <p>Failures throw {@link EngineException} with the API's status. Methods must be safe to call
 * from several threads at once. Where the API answers 304 (start a running container, stop a
 * stopped one), the adapter returns normally, as Compose's Go client does.
 */
public interface Engine {
  /**
   * {@code GET /containers/json?all=…&filters={"label":[…]}}.
   *
   * @param all include stopped containers
   * @param labelFilters Docker label filters, all must match: {@code key} (exists) or
   *     {@code key=value}
   */
  List<ContainerSummary> listContainers(boolean all, List<String> labelFilters);

  /** {@code GET /containers/{id}/json}; 404 when there is no such container. */
  ContainerInspect inspectContainer(String idOrName);

  /** {@code POST /containers/create?name=…}; returns the new container's id. 409 on a duplicate name. */
  String createContainer(ContainerCreateRequest request);

  /** {@code POST /containers/{id}/start}. */
  void startContainer(String id);

  /**
   * {@code POST /containers/{id}/stop?t=…}.
   *
   * @param timeoutSeconds seconds before SIGKILL, or {@code null} for the container's own
   *     {@code StopTimeout}
   */
  void stopContainer(String id, Integer timeoutSeconds);

  /** {@code POST /containers/{id}/kill?signal=…}; {@code null} = SIGKILL. */
  void killContainer(String id, String signal);

  /** {@code DELETE /containers/{id}?force=…&v=…}. */
  void removeContainer(String id, boolean force, boolean removeVolumes);

  /** {@code POST /containers/{id}/rename?name=…}. */
  void renameContainer(String id, String newName);

  /**
   * {@code POST /containers/{id}/wait?condition=…}: blocks until the condition holds.
   *
   * @param condition {@code not-running}, {@code next-exit} or {@code removed}
   * @return the exit status
   */
  int waitContainer(String id, String condition);

  /** {@code GET /networks?filters={"label":[…]}}. */
  List<NetworkInfo> listNetworks(List<String> labelFilters);

  /** {@code GET /networks/{id}}, with the ids of attached containers; 404 when absent. */
  NetworkInfo inspectNetwork(String idOrName);

  /** {@code POST /networks/create}; returns the id. 409 on a duplicate name. */
  String createNetwork(NetworkCreateRequest request);

  /** {@code DELETE /networks/{id}}; 403 while containers are attached. */
  void removeNetwork(String idOrName);

  /** {@code GET /volumes?filters={"label":[…]}}. */
  List<VolumeInfo> listVolumes(List<String> labelFilters);

  /** {@code GET /volumes/{name}}; 404 when absent. */
  VolumeInfo inspectVolume(String name);

  /** {@code POST /volumes/create}. */
  VolumeInfo createVolume(VolumeCreateRequest request);

  /** {@code DELETE /volumes/{name}?force=…}; 409 while in use. */
  void removeVolume(String name, boolean force);

  /** {@code GET /images/{name}/json}; 404 when the image is not present. */
  ImageInfo inspectImage(String reference);

  /**
   * {@code POST /images/create?fromImage=…&tag=…&platform=…}, blocking until the pull ends.
   *
   * @param platform e.g. {@code linux/amd64}, or {@code null}
   */
  void pullImage(String reference, String platform);
}
