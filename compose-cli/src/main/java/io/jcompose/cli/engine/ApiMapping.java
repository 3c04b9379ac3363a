package io.jcompose.cli.engine;

import io.jcompose.planner.engine.ContainerConfig;
import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerInspect;
import io.jcompose.planner.engine.ContainerSummary;
import io.jcompose.planner.engine.EndpointConfig;
import io.jcompose.planner.engine.HostConfig;
import io.jcompose.planner.engine.ImageInfo;
import io.jcompose.planner.engine.NetworkCreateRequest;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.engine.VolumeCreateRequest;
import io.jcompose.planner.engine.VolumeInfo;
import io.jcompose.runtime.api.model.EndpointSettings;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.api.model.Ipam;
import io.jcompose.runtime.api.model.Mount;
import io.jcompose.runtime.api.model.MountPoint;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.NetworkingConfig;
import io.jcompose.runtime.api.model.PortBinding;
import io.jcompose.runtime.api.model.Volume;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's engine records to the Engine API's wire records and back (docs/planner.md,
 * "How the CLI uses it"). Pure functions: empty collections, zeros and false become {@code null}
 * so the JSON leaves them out and the engine applies its defaults, as Docker's Go client does
 * with {@code omitempty}.
 */
public final class ApiMapping {
    private ApiMapping() {}

    /** {@code POST /containers/create}: Config at the top level, HostConfig, NetworkingConfig. */
    static io.jcompose.runtime.api.model.ContainerCreateRequest create(ContainerCreateRequest r) {
        return new io.jcompose.runtime.api.model.ContainerCreateRequest(
                r.name(), r.platform(), config(r.config()), hostConfig(r.hostConfig()), networking(r.endpoints()));
    }

    static io.jcompose.runtime.api.model.ContainerConfig config(ContainerConfig c) {
        Map<String, Map<String, Object>> exposed = null;
        if (!c.exposedPorts().isEmpty()) {
            exposed = new LinkedHashMap<>();
            for (String p : c.exposedPorts()) {
                exposed.put(p, Map.of());
            }
        }
        return new io.jcompose.runtime.api.model.ContainerConfig(
                blank(c.hostname()), blank(c.domainname()), blank(c.user()), c.attachStdin() ? true : null, null, null, exposed,
                c.tty() ? true : null, c.openStdin() ? true : null, c.attachStdin() && c.openStdin() ? true : null, empty(c.env()), c.cmd(), health(c.healthcheck()), c.image(), null, blank(c.workingDir()),
                c.entrypoint(), null, null, emptyMap(c.labels()), blank(c.stopSignal()), c.stopTimeout(), null);
    }

    static HealthConfig health(ContainerConfig.HealthConfig h) {
        if (h == null) {
            return null;
        }
        return new HealthConfig(empty(h.test()), positive(h.interval()), positive(h.timeout()), positive(h.startPeriod()),
                positive(h.startInterval()), h.retries() > 0 ? h.retries() : null);
    }

    static io.jcompose.runtime.api.model.HostConfig hostConfig(HostConfig h) {
        if (h == null) {
            return null;
        }
        HostConfig.Resources r = h.resources();
        Map<String, List<PortBinding>> ports = null;
        if (h.portBindings() != null && !h.portBindings().isEmpty()) {
            ports = new LinkedHashMap<>();
            for (Map.Entry<String, List<HostConfig.PortBinding>> e : h.portBindings().entrySet()) {
                ports.put(e.getKey(), e.getValue().stream().map(b -> new PortBinding(b.hostIp(), b.hostPort())).toList());
            }
        }
        io.jcompose.runtime.api.model.HostConfig.RestartPolicy restart = h.restartPolicy() == null ? null
                : new io.jcompose.runtime.api.model.HostConfig.RestartPolicy(h.restartPolicy().name(), h.restartPolicy().maximumRetryCount());
        io.jcompose.runtime.api.model.HostConfig.LogConfig log = h.logConfig() == null ? null
                : new io.jcompose.runtime.api.model.HostConfig.LogConfig(h.logConfig().type(), emptyMap(h.logConfig().config()));
        List<io.jcompose.runtime.api.model.HostConfig.Ulimit> ulimits = r == null || r.ulimits() == null || r.ulimits().isEmpty() ? null
                : r.ulimits().stream().map(u -> new io.jcompose.runtime.api.model.HostConfig.Ulimit(u.name(), u.soft(), u.hard())).toList();
        List<io.jcompose.runtime.api.model.HostConfig.DeviceMapping> devices = r == null || r.devices() == null || r.devices().isEmpty()
                ? null
                : r.devices().stream()
                        .map(d -> new io.jcompose.runtime.api.model.HostConfig.DeviceMapping(d.pathOnHost(), d.pathInContainer(), d.cgroupPermissions()))
                        .toList();
        // Docker's HostConfig embeds Resources: its fields sit at the top level of HostConfig
        return new io.jcompose.runtime.api.model.HostConfig(
                empty(h.binds()), log, blank(h.networkMode()), ports, restart, h.autoRemove() ? true : null, null, empty(h.volumesFrom()),
                mounts(h.mounts()), empty(h.capAdd()), empty(h.capDrop()), blank(h.cgroupnsMode()), empty(h.dns()), empty(h.dnsOptions()),
                empty(h.dnsSearch()), empty(h.extraHosts()), empty(h.groupAdd()), blank(h.ipcMode()), null, empty(h.links()),
                h.oomScoreAdj() != 0 ? h.oomScoreAdj() : null, blank(h.pidMode()), h.privileged() ? true : null, null,
                h.readonlyRootfs() ? true : null, empty(h.securityOpt()), null, emptyMap(h.tmpfs()), blank(h.utsMode()),
                blank(h.usernsMode()), positive(h.shmSize()), emptyMap(h.sysctls()), blank(h.runtime()), h.init(),
                r == null ? null : blank(r.cgroupParent()),
                r == null ? null : positive(r.memory()),
                r == null ? null : nonZero(r.memorySwap()),
                r == null ? null : positive(r.memoryReservation()),
                r == null ? null : positive(r.nanoCpus()),
                r == null ? null : positive(r.cpuShares()),
                r == null ? null : positive(r.cpuPeriod()),
                r == null ? null : positive(r.cpuQuota()),
                r == null ? null : blank(r.cpusetCpus()),
                null,
                r == null ? null : r.pidsLimit(),
                ulimits, devices,
                r != null && r.oomKillDisable() ? true : null,
                null);
    }

    static List<Mount> mounts(List<HostConfig.Mount> mounts) {
        if (mounts == null || mounts.isEmpty()) {
            return null;
        }
        return mounts.stream().map(m -> new Mount(
                m.type(), blank(m.source()), m.target(), m.readOnly() ? true : null, null,
                "bind".equals(m.type()) && (m.bindPropagation() != null || m.bindCreateMountpoint())
                        ? new Mount.BindOptions(blank(m.bindPropagation()), null, m.bindCreateMountpoint() ? true : null)
                        : null,
                "volume".equals(m.type()) && (m.volumeNoCopy() || m.volumeSubpath() != null)
                        ? new Mount.VolumeOptions(m.volumeNoCopy() ? true : null, null, null, blank(m.volumeSubpath()))
                        : null,
                "tmpfs".equals(m.type()) && (m.tmpfsSizeBytes() > 0 || m.tmpfsMode() != 0)
                        ? new Mount.TmpfsOptions(positive(m.tmpfsSizeBytes()), m.tmpfsMode() != 0 ? m.tmpfsMode() : null)
                        : null)).toList();
    }

    static NetworkingConfig networking(Map<String, EndpointConfig> endpoints) {
        if (endpoints.isEmpty()) {
            return null;
        }
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        endpoints.forEach((network, e) -> {
            boolean ipam = e.ipv4Address() != null || e.ipv6Address() != null || !e.linkLocalIps().isEmpty();
            out.put(network, new EndpointSettings(
                    ipam ? new EndpointSettings.IpamConfig(blank(e.ipv4Address()), blank(e.ipv6Address()), empty(e.linkLocalIps())) : null,
                    empty(e.links()), empty(e.aliases()), blank(e.macAddress()), emptyMap(e.driverOpts()),
                    null, null, null, null, null, null, null, null, null, null));
        });
        return new NetworkingConfig(out);
    }

    static ContainerSummary summary(io.jcompose.runtime.api.model.ContainerSummary s) {
        String name = s.names() == null || s.names().isEmpty() ? "" : stripSlash(s.names().getFirst());
        return new ContainerSummary(s.id(), name, s.image(), s.state(), s.status(), s.labels(), s.created());
    }

    static ContainerInspect inspect(io.jcompose.runtime.api.model.ContainerInspect i) {
        var st = i.state();
        ContainerInspect.State state = st == null ? new ContainerInspect.State("created", false, false, 0, null, null)
                : new ContainerInspect.State(st.status(), st.running(), st.restarting(), st.exitCode(), blank(st.error()),
                        st.health() == null ? null : st.health().status());
        var cfg = i.config();
        boolean hasHealthcheck = cfg != null && cfg.healthcheck() != null && cfg.healthcheck().test() != null
                && !cfg.healthcheck().test().isEmpty() && !"NONE".equals(cfg.healthcheck().test().getFirst());
        List<ContainerInspect.MountPoint> mounts = i.mounts() == null ? List.of()
                : i.mounts().stream().map(ApiMapping::mountPoint).toList();
        return new ContainerInspect(i.id(), stripSlash(i.name()), i.image(), cfg == null ? Map.of() : cfg.labels(), hasHealthcheck, state, mounts);
    }

    private static ContainerInspect.MountPoint mountPoint(MountPoint m) {
        return new ContainerInspect.MountPoint(m.type(), m.name(), m.source(), m.destination());
    }

    static io.jcompose.runtime.api.model.NetworkCreateRequest network(NetworkCreateRequest n) {
        Ipam ipam = null;
        if (n.ipamDriver() != null || !n.ipamConfig().isEmpty()) {
            ipam = new Ipam(blank(n.ipamDriver()), null, n.ipamConfig().isEmpty() ? null : n.ipamConfig().stream()
                    .map(p -> new Ipam.Config(blank(p.subnet()), blank(p.ipRange()), blank(p.gateway()), emptyMap(p.auxAddresses())))
                    .toList());
        }
        return new io.jcompose.runtime.api.model.NetworkCreateRequest(
                n.name(), null, blank(n.driver()), null, n.internal() ? true : null, n.attachable() ? true : null, null, n.enableIpv6(),
                ipam, emptyMap(n.options()), emptyMap(n.labels()));
    }

    static NetworkInfo network(NetworkResource n) {
        return new NetworkInfo(n.id(), n.name(), n.driver(), n.labels(), n.containers() == null ? null : n.containers().keySet());
    }

    static io.jcompose.runtime.api.model.VolumeCreateRequest volume(VolumeCreateRequest v) {
        return new io.jcompose.runtime.api.model.VolumeCreateRequest(v.name(), blank(v.driver()), emptyMap(v.driverOpts()), emptyMap(v.labels()));
    }

    static VolumeInfo volume(Volume v) {
        return new VolumeInfo(v.name(), v.driver(), v.labels());
    }

    static ImageInfo image(ImageInspect i) {
        return new ImageInfo(i.id(), i.repoTags(), i.repoDigests());
    }

    /**
     * Splits an image reference into {@code fromImage} and {@code tag} as the docker client does
     * for {@code POST /images/create}: a digest is the tag, no tag means {@code latest}.
     */
    public static String[] pullParameters(String reference) {
        int at = reference.indexOf('@');
        if (at >= 0) {
            return new String[] {reference.substring(0, at), reference.substring(at + 1)};
        }
        int colon = reference.lastIndexOf(':');
        if (colon > reference.lastIndexOf('/')) {
            return new String[] {reference.substring(0, colon), reference.substring(colon + 1)};
        }
        return new String[] {reference, "latest"};
    }

    /** Docker's label filters: {@code {"label": ["k", "k=v"]}}. */
    static io.jcompose.runtime.api.Filters labels(Collection<String> labelFilters) {
        if (labelFilters.isEmpty()) {
            return io.jcompose.runtime.api.Filters.NONE;
        }
        return new io.jcompose.runtime.api.Filters(Map.of("label", new java.util.LinkedHashSet<>(labelFilters)));
    }

    private static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static <T> List<T> empty(List<T> l) {
        return l == null || l.isEmpty() ? null : l;
    }

    private static Map<String, String> emptyMap(Map<String, String> m) {
        return m == null || m.isEmpty() ? null : m;
    }

    private static Long positive(long v) {
        return v > 0 ? v : null;
    }

    private static Long nonZero(long v) {
        return v != 0 ? v : null;
    }
}
