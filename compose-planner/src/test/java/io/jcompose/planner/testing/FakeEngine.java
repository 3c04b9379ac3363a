package io.jcompose.planner.testing;

import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerInspect;
import io.jcompose.planner.engine.ContainerSummary;
import io.jcompose.planner.engine.Engine;
import io.jcompose.planner.engine.EngineException;
import io.jcompose.planner.engine.HostConfig;
import io.jcompose.planner.engine.ImageInfo;
import io.jcompose.planner.engine.NetworkCreateRequest;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.engine.VolumeCreateRequest;
import io.jcompose.planner.engine.VolumeInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory engine for unit tests of the planner and reconciler (the layer above the engine):
 * containers, networks and volumes with labels, start behaviour per service (healthy, unhealthy,
 * exit code), and a journal of every mutating call in the order it happened.
 */
public final class FakeEngine implements Engine {
  /** How a started container of a service behaves. */
  public sealed interface Behaviour {
    /** Runs, no health check. */
    record Runs() implements Behaviour {}

    /** Runs; its health is {@code starting} for {@code polls} inspections, then healthy or unhealthy. */
    record Health(int polls, boolean healthy) implements Behaviour {}

    /** Exits with {@code code} after {@code polls} inspections. */
    record Exits(int polls, int code) implements Behaviour {}
  }

  /** A container as the fake holds it. */
  public static final class Box {
    final String id;
    volatile String name;
    final ContainerCreateRequest request;
    volatile String state = "created";
    volatile int exitCode;
    volatile String health;
    final AtomicInteger polls = new AtomicInteger();
    final long created;
    final List<ContainerInspect.MountPoint> mounts = new ArrayList<>();

    Box(String id, String name, ContainerCreateRequest request, long created) {
      this.id = id;
      this.name = name;
      this.request = request;
      this.created = created;
    }

    /** The create request it was made from. */
    public ContainerCreateRequest request() {
      return request;
    }

    /** Its current name. */
    public String name() {
      return name;
    }
  }

  private final Map<String, Box> containers = new ConcurrentHashMap<>();
  private final Map<String, NetworkInfo> networks = new ConcurrentHashMap<>();
  private final Map<String, VolumeInfo> volumes = new ConcurrentHashMap<>();
  private final Set<String> images = ConcurrentHashMap.newKeySet();
  private final Map<String, Behaviour> behaviour = new ConcurrentHashMap<>();
  private final List<String> journal = new CopyOnWriteArrayList<>();
  private final Set<String> failures = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxParallelStarts = new AtomicInteger();
  private volatile long startMillis;

  /** Start calls take this long, so that parallel starts overlap measurably. */
  public FakeEngine slowStarts(long millis) {
    startMillis = millis;
    return this;
  }

  /** How containers of {@code service} behave once started. */
  public FakeEngine behave(String service, Behaviour b) {
    behaviour.put(service, b);
    return this;
  }

  /** Makes the call {@code "<verb> <name>"} (as journaled) fail with a 500. */
  public FakeEngine failOn(String call) {
    failures.add(call);
    return this;
  }

  /** Forgets every {@link #failOn} (the "problem was fixed" of a re-run). */
  public void clearFailures() {
    failures.clear();
  }

  /** Marks an image as present. */
  public FakeEngine withImage(String ref) {
    images.add(ref);
    return this;
  }

  /** Every mutating call, {@code "<verb> <name>"}, in order. */
  public List<String> journal() {
    return List.copyOf(journal);
  }

  /** Forgets the journal. */
  public void clearJournal() {
    journal.clear();
  }

  /** The largest number of start calls that were in progress at once. */
  public int maxParallelStarts() {
    return maxParallelStarts.get();
  }

  /** The containers by name. */
  public Map<String, Box> containers() {
    Map<String, Box> out = new java.util.TreeMap<>();
    containers.values().forEach(b -> out.put(b.name, b));
    return out;
  }

  /** Network names. */
  public Set<String> networkNames() {
    return new java.util.TreeSet<>(networks.keySet());
  }

  /** Volume names. */
  public Set<String> volumeNames() {
    return new java.util.TreeSet<>(volumes.keySet());
  }

  /** Adds a volume made by someone else. */
  public void addVolume(VolumeInfo v) {
    volumes.put(v.name(), v);
  }

  /** Sets a container's state directly (simulates a crash or a manual stop). */
  public void setState(String name, String state, int exitCode) {
    Box b = byName(name);
    b.state = state;
    b.exitCode = exitCode;
  }

  private void record(String call) {
    if (failures.contains(call)) {
      journal.add(call + " FAILED");
      throw new EngineException(500, "simulated failure of " + call);
    }
    journal.add(call);
  }

  private Box byName(String idOrName) {
    Box b = containers.get(idOrName);
    if (b == null) {
      b = containers.values().stream().filter(x -> x.name.equals(idOrName)).findFirst().orElse(null);
    }
    if (b == null) {
      throw new EngineException(404, "No such container: " + idOrName);
    }
    return b;
  }

  private static boolean matches(Map<String, String> labels, List<String> filters) {
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq < 0 ? !labels.containsKey(f) : !f.substring(eq + 1).equals(labels.get(f.substring(0, eq)))) {
        return false;
      }
    }
    return true;
  }

  private String serviceOf(Box b) {
    return b.request.config().labels().get("com.docker.compose.service");
  }

  @Override
  public List<ContainerSummary> listContainers(boolean all, List<String> labelFilters) {
    return containers.values().stream()
        .filter(b -> matches(b.request.config().labels(), labelFilters))
        .map(this::summary)
        .filter(s -> all || s.isRunning())
        .toList();
  }

  private ContainerSummary summary(Box b) {
    return new ContainerSummary(b.id, b.name, b.request.config().image(), b.state, b.state, b.request.config().labels(), b.created);
  }

  @Override
  public ContainerInspect inspectContainer(String idOrName) {
    Box b = byName(idOrName);
    Behaviour be = behaviour.getOrDefault(serviceOf(b), new Behaviour.Runs());
    if ("running".equals(b.state)) {
      int n = b.polls.incrementAndGet();
      switch (be) {
        case Behaviour.Health h -> b.health = n > h.polls() ? (h.healthy() ? "healthy" : "unhealthy") : "starting";
        case Behaviour.Exits e -> {
          if (n > e.polls()) {
            b.state = "exited";
            b.exitCode = e.code();
          }
        }
        case Behaviour.Runs r -> { }
      }
    }
    boolean hc = be instanceof Behaviour.Health;
    return new ContainerInspect(b.id, b.name, "sha256:" + b.request.config().image(), b.request.config().labels(), hc,
        new ContainerInspect.State(b.state, "running".equals(b.state), false, b.exitCode, "", hc ? b.health : null), b.mounts);
  }

  @Override
  public String createContainer(ContainerCreateRequest request) {
    record("create " + request.name());
    if (containers.values().stream().anyMatch(b -> b.name.equals(request.name()))) {
      throw new EngineException(409, "Conflict. The container name \"/" + request.name() + "\" is already in use");
    }
    String id = String.format("%064x", ids.incrementAndGet() + 0xabc000L);
    Box b = new Box(id, request.name(), request, ids.get());
    for (HostConfig.Mount m : request.hostConfig().mounts()) {
      if ("volume".equals(m.type())) {
        String vol = m.source().isEmpty() ? String.format("%064x", ids.incrementAndGet() + 0xf00000L) : m.source();
        volumes.putIfAbsent(vol, new VolumeInfo(vol, "local", Map.of()));
        b.mounts.add(new ContainerInspect.MountPoint("volume", vol, "/var/lib/vol/" + vol, m.target()));
      }
    }
    for (String bind : request.hostConfig().binds()) {
      String[] p = bind.split(":");
      if (!p[0].startsWith("/")) {
        volumes.putIfAbsent(p[0], new VolumeInfo(p[0], "local", Map.of()));
        b.mounts.add(new ContainerInspect.MountPoint("volume", p[0], "/var/lib/vol/" + p[0], p[1]));
      }
    }
    for (String net : request.endpoints().keySet()) {
      // compute, not get-then-put: the reconciler creates containers in parallel
      NetworkInfo joined = networks.computeIfPresent(net, (k, n) -> {
        Set<String> cs = new HashSet<>(n.containers());
        cs.add(id);
        return new NetworkInfo(n.id(), n.name(), n.driver(), n.labels(), cs);
      });
      if (joined == null) {
        throw new EngineException(404, "network " + net + " not found");
      }
    }
    containers.put(id, b);
    return id;
  }

  @Override
  public void startContainer(String id) {
    Box b = byName(id);
    int now = running.incrementAndGet();
    maxParallelStarts.accumulateAndGet(now, Math::max);
    try {
      record("start " + b.name);
      if (startMillis > 0) {
        Thread.sleep(startMillis);
      }
      b.state = "running";
      b.polls.set(0);
      b.health = behaviour.get(serviceOf(b)) instanceof Behaviour.Health ? "starting" : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(500, "interrupted");
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public void stopContainer(String id, Integer timeoutSeconds) {
    Box b = byName(id);
    record("stop " + b.name);
    if ("running".equals(b.state)) {
      b.state = "exited";
      b.exitCode = 143;
    }
  }

  @Override
  public void killContainer(String id, String signal) {
    Box b = byName(id);
    record("kill " + b.name);
    b.state = "exited";
    b.exitCode = 137;
  }

  @Override
  public void removeContainer(String id, boolean force, boolean removeVolumes) {
    Box b = byName(id);
    record("remove " + b.name);
    if ("running".equals(b.state) && !force) {
      throw new EngineException(409, "cannot remove a running container");
    }
    containers.remove(b.id);
    networks.replaceAll((k, n) -> {
      Set<String> cs = new HashSet<>(n.containers());
      cs.remove(b.id);
      return new NetworkInfo(n.id(), n.name(), n.driver(), n.labels(), cs);
    });
    if (removeVolumes) {
      b.mounts.stream().filter(m -> m.name() != null && m.name().length() == 64).forEach(m -> volumes.remove(m.name()));
    }
  }

  @Override
  public void renameContainer(String id, String newName) {
    Box b = byName(id);
    record("rename " + b.name + " " + newName);
    b.name = newName;
  }

  @Override
  public int waitContainer(String id, String condition) {
    return byName(id).exitCode;
  }

  @Override
  public List<NetworkInfo> listNetworks(List<String> labelFilters) {
    return networks.values().stream().filter(n -> matches(n.labels(), labelFilters)).toList();
  }

  @Override
  public NetworkInfo inspectNetwork(String idOrName) {
    NetworkInfo n = networks.get(idOrName);
    if (n == null) {
      throw new EngineException(404, "network " + idOrName + " not found");
    }
    return n;
  }

  @Override
  public String createNetwork(NetworkCreateRequest request) {
    record("create network " + request.name());
    if (networks.containsKey(request.name())) {
      throw new EngineException(409, "network with name " + request.name() + " already exists");
    }
    String id = "net" + ids.incrementAndGet();
    networks.put(request.name(), new NetworkInfo(id, request.name(), request.driver(), request.labels(), Set.of()));
    return id;
  }

  /** Adds a network made by someone else (external). */
  public void addNetwork(String name) {
    networks.put(name, new NetworkInfo("ext" + name, name, "bridge", Map.of(), Set.of()));
  }

  @Override
  public void removeNetwork(String idOrName) {
    record("remove network " + idOrName);
    NetworkInfo n = inspectNetwork(idOrName);
    if (!n.containers().isEmpty()) {
      throw new EngineException(403, "error while removing network: network " + idOrName + " has active endpoints");
    }
    networks.remove(idOrName);
  }

  @Override
  public List<VolumeInfo> listVolumes(List<String> labelFilters) {
    return volumes.values().stream().filter(v -> matches(v.labels(), labelFilters)).toList();
  }

  @Override
  public VolumeInfo inspectVolume(String name) {
    VolumeInfo v = volumes.get(name);
    if (v == null) {
      throw new EngineException(404, "get " + name + ": no such volume");
    }
    return v;
  }

  @Override
  public VolumeInfo createVolume(VolumeCreateRequest request) {
    record("create volume " + request.name());
    VolumeInfo v = new VolumeInfo(request.name(), request.driver(), request.labels());
    volumes.putIfAbsent(request.name(), v);
    return volumes.get(request.name());
  }

  @Override
  public void removeVolume(String name, boolean force) {
    record("remove volume " + name);
    if (volumes.remove(name) == null) {
      throw new EngineException(404, "get " + name + ": no such volume");
    }
  }

  @Override
  public ImageInfo inspectImage(String reference) {
    if (!images.contains(reference)) {
      throw new EngineException(404, "No such image: " + reference);
    }
    return new ImageInfo("sha256:" + Integer.toHexString(reference.hashCode()), List.of(reference), List.of());
  }

  @Override
  public void pullImage(String reference, String platform) {
    record("pull " + reference);
    images.add(reference);
  }

  /** Labels of a container, for assertions. */
  public Map<String, String> labels(String name) {
    return new LinkedHashMap<>(byName(name).request.config().labels());
  }
}
