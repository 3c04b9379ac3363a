package io.jcompose.planner.engine;

import io.jcompose.model.BlkioConfig;
import io.jcompose.model.Deploy;
import io.jcompose.model.DependsOn;
import io.jcompose.model.Healthcheck;
import io.jcompose.model.PortConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceNetwork;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.Ulimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates a Compose service into the {@code POST /containers/create} request Compose v2 sends
 * for one of its containers ({@code docker/compose} {@code pkg/compose/create.go}). A pure
 * function: everything it needs is in its {@link ContainerContext}.
 */
public final class ContainerRequests {
  private ContainerRequests() {}

  /** The create request for the container described by {@code ctx}. */
  public static ContainerCreateRequest forService(ContainerContext ctx) {
    return build(ctx, null);
  }

  /**
   * The create request of a one-off ({@code run}) container of the service: Compose's labels with
   * {@code oneoff=True} and the slug and without a number, no restart policy, the service's ports
   * only with {@code --service-ports}, aliases only with {@code --use-aliases}, and the command
   * line's overrides. {@code ctx.containerName()} is {@link ComposeNames#oneOff} or {@code --name}.
   */
  public static ContainerCreateRequest forOneOff(ContainerContext ctx, OneOff run) {
    return build(ctx, run);
  }

  private static ContainerCreateRequest build(ContainerContext ctx, OneOff run) {
    Service s = ctx.service();
    Map<String, EndpointConfig> endpoints = endpoints(ctx, run == null || run.useAliases());
    String networkMode = networkMode(ctx, endpoints);
    List<PortConfig> ports = new ArrayList<>(run == null || run.servicePorts() ? s.ports() : List.of());
    if (run != null) {
      ports.addAll(run.ports());
    }
    Map<String, String> environment = new LinkedHashMap<>(s.environment());
    List<String> command = s.command();
    List<String> entrypoint = s.entrypoint();
    if (run != null) {
      environment.putAll(run.environment());
      if (run.entrypoint() != null) {
        entrypoint = run.entrypoint();
        command = List.of(); // a new entrypoint does not get the service's command
      }
      if (run.command() != null) {
        command = run.command();
      }
    }
    ContainerConfig config = new ContainerConfig(
        s.hostname(),
        s.domainname(),
        run != null && run.user() != null ? run.user() : s.user(),
        exposedPorts(ports, s.expose()),
        run != null && run.tty() != null ? run.tty() : s.tty(),
        s.stdinOpen() || (run != null && run.interactive()),
        run != null && run.interactive(),
        env(environment),
        command,
        healthcheck(s.healthcheck()),
        entrypoint,
        imageName(ctx.project(), s),
        run != null && run.workingDir() != null ? run.workingDir() : s.workingDir(),
        labels(ctx, run),
        s.stopSignal(),
        s.stopGracePeriod() == null ? null : (int) s.stopGracePeriod().toSeconds());
    List<String> binds = new ArrayList<>();
    List<HostConfig.Mount> mounts = new ArrayList<>();
    List<ServiceVolume> volumes = new ArrayList<>(s.volumes());
    if (run != null) {
      volumes.addAll(run.volumes());
    }
    mounts(ctx, volumes, binds, mounts);
    HostConfig host = new HostConfig(
        List.copyOf(binds),
        List.copyOf(mounts),
        tmpfs(s.tmpfs()),
        volumesFrom(ctx),
        portBindings(ports),
        networkMode,
        links(ctx),
        s.extraHosts().entrySet().stream().flatMap(e -> e.getValue().stream().map(ip -> e.getKey() + ":" + ip)).toList(),
        s.dns(),
        s.dnsOpt(),
        s.dnsSearch(),
        run == null ? restartPolicy(s) : HostConfig.RestartPolicy.NO, // one-offs never restart
        run != null && run.autoRemove(),
        s.init(),
        run == null ? s.capAdd() : concat(s.capAdd(), run.capAdd()),
        run == null ? s.capDrop() : concat(s.capDrop(), run.capDrop()),
        s.privileged(),
        s.securityOpt(),
        s.readOnly(),
        s.groupAdd(),
        serviceRef(ctx, s.ipc()),
        serviceRef(ctx, s.pid()),
        s.uts(),
        s.usernsMode(),
        s.cgroup(),
        s.shmSize(),
        s.sysctls(),
        logConfig(s),
        (int) s.oomScoreAdj(),
        s.runtime(),
        s.storageOpt(),
        s.annotations(),
        resources(s));
    return new ContainerCreateRequest(ctx.containerName(), s.platform(), config, host, endpoints);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /** The image a service runs: {@code image}, else Compose's name for a built image {@code <project>-<service>}. */
  public static String imageName(Project project, Service s) {
    return s.image() != null ? s.image() : project.name() + "-" + s.name();
  }

  /** The Compose labels and the service's own labels of one of its containers. */
  static Map<String, String> labels(ContainerContext ctx, OneOff run) {
    Service s = ctx.service();
    Project p = ctx.project();
    Map<String, String> l = new TreeMap<>(s.labels());
    if (run != null) {
      l.putAll(run.labels());
    }
    l.put(ComposeLabels.PROJECT, p.name());
    l.put(ComposeLabels.SERVICE, s.name());
    l.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    l.put(ComposeLabels.WORKING_DIR, p.workingDir());
    l.put(ComposeLabels.CONFIG_FILES, String.join(",", p.composeFiles()));
    if (run == null) {
      l.put(ComposeLabels.ONEOFF, ComposeLabels.FALSE);
      l.put(ComposeLabels.CONTAINER_NUMBER, Integer.toString(ctx.number()));
    } else {
      l.put(ComposeLabels.ONEOFF, ComposeLabels.TRUE);
      l.put(ComposeLabels.SLUG, run.slug());
    }
    l.put(ComposeLabels.CONFIG_HASH, ctx.configHash());
    List<String> deps = new ArrayList<>();
    for (Map.Entry<String, DependsOn> e : s.dependsOn().entrySet()) {
      deps.add(e.getKey() + ":" + e.getValue().condition() + ":" + e.getValue().restart());
    }
    l.put(ComposeLabels.DEPENDS_ON, String.join(",", deps));
    if (ctx.imageId() != null) {
      l.put(ComposeLabels.IMAGE, ctx.imageId());
    }
    return l;
  }

  private static List<String> env(Map<String, String> environment) {
    List<String> env = new ArrayList<>();
    environment.forEach((k, v) -> {
      if (v != null) { // unresolved "take it from the shell" with no value: not set, as Compose
        env.add(k + "=" + v);
      }
    });
    return env;
  }

  private static Set<String> exposedPorts(List<PortConfig> ports, List<String> expose) {
    Set<String> out = new LinkedHashSet<>();
    for (PortConfig p : ports) {
      out.add(portKey(p));
    }
    for (String e : expose) {
      String proto = "tcp";
      String range = e;
      int slash = e.indexOf('/');
      if (slash >= 0) {
        proto = e.substring(slash + 1);
        range = e.substring(0, slash);
      }
      int dash = range.indexOf('-');
      if (dash < 0) {
        out.add(range + "/" + proto);
      } else { // "8000-8002" exposes each port of the range, as Docker does
        int from = Integer.parseInt(range.substring(0, dash));
        int to = Integer.parseInt(range.substring(dash + 1));
        for (int p = from; p <= to; p++) {
          out.add(p + "/" + proto);
        }
      }
    }
    return out;
  }

  private static String portKey(PortConfig p) {
    return p.target() + "/" + (p.protocol() == null ? "tcp" : p.protocol());
  }

  private static Map<String, List<HostConfig.PortBinding>> portBindings(List<PortConfig> ports) {
    Map<String, List<HostConfig.PortBinding>> out = new TreeMap<>();
    for (PortConfig p : ports) {
      out.computeIfAbsent(portKey(p), k -> new ArrayList<>())
          .add(new HostConfig.PortBinding(p.hostIp() == null ? "" : p.hostIp(), p.published() == null ? "" : p.published()));
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  /** Nanoseconds, as the Engine API counts health check durations; 0 = engine default. */
  static long nanos(Duration d) {
    return d == null ? 0 : d.toNanos();
  }

  private static ContainerConfig.HealthConfig healthcheck(Healthcheck h) {
    if (h == null) {
      return null;
    }
    List<String> test = h.disable() ? List.of("NONE") : h.test();
    return new ContainerConfig.HealthConfig(test, nanos(h.interval()), nanos(h.timeout()), nanos(h.startPeriod()),
        nanos(h.startInterval()), h.retries() == null ? 0 : h.retries().intValue());
  }

  /** The service's networks, primary first: highest {@code priority}, ties by key (compose-go's NetworksByPriority). */
  public static List<Map.Entry<String, ServiceNetwork>> networksByPriority(Service s) {
    Map<String, ServiceNetwork> nets = new LinkedHashMap<>(s.networks());
    if (nets.isEmpty() && s.networkMode() == null) {
      nets.put("default", null);
    }
    List<Map.Entry<String, ServiceNetwork>> list = new ArrayList<>(nets.entrySet());
    list.sort(Comparator.<Map.Entry<String, ServiceNetwork>>comparingInt(e -> e.getValue() == null ? 0 : -e.getValue().priority())
        .thenComparing(Map.Entry::getKey));
    return list;
  }

  /** One endpoint per network; {@code serviceAliases} false gives only the container name ({@code run}). */
  private static Map<String, EndpointConfig> endpoints(ContainerContext ctx, boolean serviceAliases) {
    Service s = ctx.service();
    Map<String, EndpointConfig> out = new LinkedHashMap<>();
    if (s.networkMode() != null && !s.networkMode().isEmpty()) {
      return out; // host, none, container:, service: — no endpoints of their own
    }
    boolean primary = true;
    for (Map.Entry<String, ServiceNetwork> e : networksByPriority(s)) {
      ServiceNetwork n = e.getValue();
      List<String> aliases = new ArrayList<>();
      aliases.add(ctx.containerName());
      if (serviceAliases) {
        aliases.add(s.name());
      }
      if (n != null && serviceAliases) {
        n.aliases().stream().filter(a -> !aliases.contains(a)).forEach(aliases::add);
      }
      String mac = n != null && n.macAddress() != null ? n.macAddress() : primary ? s.macAddress() : null;
      out.put(ComposeNames.network(ctx.project(), e.getKey()), new EndpointConfig(aliases, n == null ? null : n.ipv4Address(),
          n == null ? null : n.ipv6Address(), n == null ? List.of() : n.linkLocalIps(), mac, List.of(),
          n == null ? Map.of() : n.driverOpts()));
      primary = false;
    }
    return out;
  }

  private static String networkMode(ContainerContext ctx, Map<String, EndpointConfig> endpoints) {
    String mode = ctx.service().networkMode();
    if (mode != null && !mode.isEmpty()) {
      return serviceRef(ctx, mode);
    }
    return endpoints.keySet().iterator().next(); // the primary network
  }

  /** {@code service:x} becomes {@code container:<x's container>}; any other value is kept. */
  private static String serviceRef(ContainerContext ctx, String value) {
    if (value == null || !value.startsWith("service:")) {
      return value;
    }
    String svc = value.substring("service:".length());
    return "container:" + dependencyContainer(ctx, svc);
  }

  private static String dependencyContainer(ContainerContext ctx, String service) {
    String c = ctx.serviceContainers().get(service);
    if (c == null) {
      throw new IllegalStateException("service \"" + ctx.service().name() + "\" refers to service \"" + service
          + "\" which has no container: start it first");
    }
    return c;
  }

  private static List<String> volumesFrom(ContainerContext ctx) {
    List<String> out = new ArrayList<>();
    for (String entry : ctx.service().volumesFrom()) {
      if (entry.startsWith("container:")) {
        out.add(entry.substring("container:".length()));
        continue;
      }
      String rest = entry.startsWith("service:") ? entry.substring("service:".length()) : entry;
      int colon = rest.indexOf(':');
      String svc = colon < 0 ? rest : rest.substring(0, colon);
      out.add(dependencyContainer(ctx, svc) + (colon < 0 ? "" : rest.substring(colon)));
    }
    return out;
  }

  private static List<String> links(ContainerContext ctx) {
    List<String> out = new ArrayList<>();
    for (String link : ctx.service().links()) {
      int colon = link.indexOf(':');
      String svc = colon < 0 ? link : link.substring(0, colon);
      String alias = colon < 0 ? link : link.substring(colon + 1);
      out.add(dependencyContainer(ctx, svc) + ":" + alias);
    }
    out.addAll(ctx.service().externalLinks().stream().map(l -> l.contains(":") ? l : l + ":" + l).toList());
    return out;
  }

  private static void mounts(ContainerContext ctx, List<ServiceVolume> volumes, List<String> binds, List<HostConfig.Mount> mounts) {
    for (ServiceVolume v : volumes) {
      String type = v.type() == null ? ServiceVolume.TYPE_VOLUME : v.type();
      switch (type) {
        case ServiceVolume.TYPE_BIND -> {
          String propagation = v.bind() == null ? null : v.bind().propagation();
          boolean create = v.bind() == null || v.bind().createHostPath();
          if (create && propagation == null) {
            // Binds create a missing host directory, as the short syntax asks
            List<String> opts = new ArrayList<>();
            if (v.readOnly()) {
              opts.add("ro");
            }
            if (v.bind() != null && v.bind().selinux() != null) {
              opts.add(v.bind().selinux());
            }
            binds.add(v.source() + ":" + v.target() + (opts.isEmpty() ? "" : ":" + String.join(",", opts)));
          } else {
            mounts.add(new HostConfig.Mount("bind", v.source(), v.target(), v.readOnly(), propagation, false, false, null, 0, 0));
          }
        }
        case ServiceVolume.TYPE_VOLUME -> {
          boolean nocopy = v.volume() != null && v.volume().nocopy();
          String subpath = v.volume() == null ? null : v.volume().subpath();
          if (v.source() == null || v.source().isEmpty()) {
            String inherited = ctx.inheritedVolumes().get(v.target());
            mounts.add(new HostConfig.Mount("volume", inherited == null ? "" : inherited, v.target(), v.readOnly(), null, false, nocopy, subpath, 0, 0));
          } else {
            String name = ComposeNames.volume(ctx.project(), v.source());
            if (!nocopy && subpath == null) {
              binds.add(name + ":" + v.target() + (v.readOnly() ? ":ro" : ""));
            } else {
              mounts.add(new HostConfig.Mount("volume", name, v.target(), v.readOnly(), null, false, nocopy, subpath, 0, 0));
            }
          }
        }
        case ServiceVolume.TYPE_TMPFS -> mounts.add(new HostConfig.Mount("tmpfs", "", v.target(), v.readOnly(), null, false, false, null,
            v.tmpfs() == null ? 0 : v.tmpfs().size(), v.tmpfs() == null ? 0 : v.tmpfs().mode()));
        default -> throw new IllegalArgumentException("service \"" + ctx.service().name() + "\": volume type \"" + type
            + "\" at " + v.target() + " is not supported by jcompose: use bind, volume or tmpfs");
      }
    }
  }

  private static Map<String, String> tmpfs(List<String> entries) {
    Map<String, String> out = new TreeMap<>();
    for (String e : entries) {
      int colon = e.indexOf(':');
      out.put(colon < 0 ? e : e.substring(0, colon), colon < 0 ? "" : e.substring(colon + 1));
    }
    return out;
  }

  /** {@code restart:} wins; else {@code deploy.restart_policy} (any → always); else {@code no}. */
  static HostConfig.RestartPolicy restartPolicy(Service s) {
    String r = s.restart();
    if (r != null && !r.isEmpty()) {
      if (r.startsWith("on-failure:")) {
        return new HostConfig.RestartPolicy("on-failure", Integer.parseInt(r.substring("on-failure:".length())));
      }
      return new HostConfig.RestartPolicy(r, 0);
    }
    Deploy d = s.deploy();
    if (d != null && d.restartPolicy() != null && d.restartPolicy().condition() != null) {
      Deploy.RestartPolicy p = d.restartPolicy();
      return switch (p.condition()) {
        case "none" -> HostConfig.RestartPolicy.NO;
        case "on-failure" -> new HostConfig.RestartPolicy("on-failure", p.maxAttempts() == null ? 0 : p.maxAttempts().intValue());
        default -> new HostConfig.RestartPolicy("always", 0);
      };
    }
    return HostConfig.RestartPolicy.NO;
  }

  private static HostConfig.LogConfig logConfig(Service s) {
    if (s.logging() != null && (s.logging().driver() != null || !s.logging().options().isEmpty())) {
      return new HostConfig.LogConfig(s.logging().driver(), s.logging().options());
    }
    return null;
  }

  /** Resource fields: the service's own keys win over {@code deploy.resources}, as in Compose. */
  static HostConfig.Resources resources(Service s) {
    Deploy.Resource limits = s.deploy() == null || s.deploy().resources() == null ? null : s.deploy().resources().limits();
    Deploy.Resource reservations = s.deploy() == null || s.deploy().resources() == null ? null : s.deploy().resources().reservations();
    long memory = s.memLimit() != 0 ? s.memLimit() : limits == null ? 0 : limits.memory();
    double cpus = s.cpus() != 0 ? s.cpus() : limits == null ? 0 : limits.cpus();
    long reservation = s.memReservation() != 0 ? s.memReservation() : reservations == null ? 0 : reservations.memory();
    long pids = s.pidsLimit() != 0 ? s.pidsLimit() : limits == null ? 0 : limits.pids();
    List<HostConfig.Ulimit> ulimits = new ArrayList<>();
    new TreeMap<String, Ulimit>(s.ulimits()).forEach((name, u) -> ulimits.add(new HostConfig.Ulimit(name, u.soft(), u.hard())));
    List<HostConfig.DeviceMapping> devices = new ArrayList<>();
    for (io.jcompose.model.DeviceMapping d : s.devices()) {
      devices.add(new HostConfig.DeviceMapping(d.source(), d.target() == null ? d.source() : d.target(),
          d.permissions() == null ? "rwm" : d.permissions()));
    }
    return new HostConfig.Resources(memory, reservation, s.memswapLimit(), s.memSwappiness() == 0 ? null : s.memSwappiness(),
        Math.round(cpus * 1e9), s.cpuShares(), s.cpuPeriod(), s.cpuQuota(), s.cpuset(), pids == 0 ? null : pids,
        s.oomKillDisable(), s.blkioConfig() == null ? 0 : s.blkioConfig().weight(), List.copyOf(ulimits), List.copyOf(devices),
        s.cgroupParent(), s.cpuRtPeriod(), s.cpuRtRuntime(), s.deviceCgroupRules(),
        throttles(s.blkioConfig(), BlkioConfig::deviceReadBps), throttles(s.blkioConfig(), BlkioConfig::deviceWriteBps),
        throttles(s.blkioConfig(), BlkioConfig::deviceReadIops), throttles(s.blkioConfig(), BlkioConfig::deviceWriteIops),
        deviceRequests(s, reservations));
  }

  private static List<HostConfig.ThrottleDevice> throttles(BlkioConfig b,
      java.util.function.Function<BlkioConfig, List<BlkioConfig.ThrottleDevice>> which) {
    return b == null ? List.of() : which.apply(b).stream().map(t -> new HostConfig.ThrottleDevice(t.path(), t.rate())).toList();
  }

  /** {@code gpus} and {@code deploy.resources.reservations.devices}, as Compose sends them. */
  private static List<HostConfig.DeviceRequest> deviceRequests(Service s, Deploy.Resource reservations) {
    List<HostConfig.DeviceRequest> out = new ArrayList<>();
    List<Deploy.DeviceRequest> all = new ArrayList<>(s.gpus());
    if (reservations != null) {
      all.addAll(reservations.devices());
    }
    for (Deploy.DeviceRequest d : all) {
      List<List<String>> caps = d.capabilities().isEmpty() ? List.of() : List.of(d.capabilities());
      if (caps.isEmpty() && s.gpus().contains(d)) {
        caps = List.of(List.of("gpu")); // gpus: implies the gpu capability
      }
      long count = d.count() != null ? d.count() : d.deviceIds().isEmpty() ? -1 : 0;
      out.add(new HostConfig.DeviceRequest(d.driver(), count, d.deviceIds(), caps, d.options()));
    }
    return out;
  }
}
