package io.jcompose.planner.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --dry-run}: reads go to the real engine, changes are not made. Containers "created" here
 * exist only in this object (so later calls on them succeed); every container looks running and
 * healthy, the way Compose's dry-run client pretends, so a whole {@code up} runs through and
 * shows what it would do without waiting on anything real.
 */
public final class DryRunEngine implements Engine {
  private final Engine real;
  private final Map<String, ContainerCreateRequest> created = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final java.util.Set<String> pulled = ConcurrentHashMap.newKeySet();

  /** @param real the engine to read from */
  public DryRunEngine(Engine real) {
    this.real = real;
  }

  private String fakeId() {
    return String.format("dryrun%058x", ids.incrementAndGet());
  }

  @Override
  public List<ContainerSummary> listContainers(boolean all, List<String> labelFilters) {
    return real.listContainers(all, labelFilters);
  }

  @Override
  public ContainerInspect inspectContainer(String idOrName) {
    ContainerCreateRequest r = created.get(idOrName);
    if (r == null) {
      r = created.values().stream().filter(c -> c.name().equals(idOrName)).findFirst().orElse(null);
    }
    if (r == null) {
      ContainerInspect i = real.inspectContainer(idOrName);
      // a real container the dry run "started" or "restarted" is assumed to come up fine
      return new ContainerInspect(i.id(), i.name(), i.imageId(), i.labels(), true,
          new ContainerInspect.State("running", true, false, 0, "", ContainerInspect.State.HEALTHY), i.mounts());
    }
    // the image's own health check is unknown here: a dry-run container passes any wait
    return new ContainerInspect(idOrName, r.name(), null, r.config().labels(), true,
        new ContainerInspect.State("running", true, false, 0, "", ContainerInspect.State.HEALTHY), List.of());
  }

  @Override
  public String createContainer(ContainerCreateRequest request) {
    String id = fakeId();
    created.put(id, request);
    return id;
  }

  @Override
  public void startContainer(String id) {}

  @Override
  public void stopContainer(String id, Integer timeoutSeconds) {}

  @Override
  public void killContainer(String id, String signal) {}

  @Override
  public void removeContainer(String id, boolean force, boolean removeVolumes) {}

  @Override
  public void renameContainer(String id, String newName) {
    ContainerCreateRequest r = created.get(id);
    if (r != null) {
      created.put(id, r.withName(newName));
    }
  }

  @Override
  public int waitContainer(String id, String condition) {
    return 0;
  }

  @Override
  public List<NetworkInfo> listNetworks(List<String> labelFilters) {
    return real.listNetworks(labelFilters);
  }

  @Override
  public NetworkInfo inspectNetwork(String idOrName) {
    return real.inspectNetwork(idOrName);
  }

  @Override
  public String createNetwork(NetworkCreateRequest request) {
    return fakeId();
  }

  @Override
  public void removeNetwork(String idOrName) {}

  @Override
  public List<VolumeInfo> listVolumes(List<String> labelFilters) {
    return real.listVolumes(labelFilters);
  }

  @Override
  public VolumeInfo inspectVolume(String name) {
    return real.inspectVolume(name);
  }

  @Override
  public VolumeInfo createVolume(VolumeCreateRequest request) {
    return new VolumeInfo(request.name(), request.driver(), request.labels());
  }

  @Override
  public void removeVolume(String name, boolean force) {}

  @Override
  public ImageInfo inspectImage(String reference) {
    if (pulled.contains(reference)) {
      return new ImageInfo("sha256:" + "0".repeat(64), List.of(reference), List.of());
    }
    return real.inspectImage(reference);
  }

  @Override
  public void pullImage(String reference, String platform) {
    pulled.add(reference); // "pulled": later inspects answer with a placeholder image
  }
}
