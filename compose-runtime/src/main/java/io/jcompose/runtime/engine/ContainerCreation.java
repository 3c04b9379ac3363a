package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.EndpointSettings;
import io.jcompose.runtime.api.model.HostConfig;
import io.jcompose.runtime.api.model.MountPoint;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.image.Image;
import io.jcompose.runtime.network.NetworkService;
import io.jcompose.runtime.network.NetworkState;
import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.volume.VolumeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The translation of a Docker create request (Config + HostConfig + NetworkingConfig) into what
 * the container engine runs ({@link ContainerSpec}: layers, mounts with their volumes, namespaces,
 * resources, seccomp) and what {@code inspect} shows ({@link ContainerRecord}: the effective
 * Config over the image's, HostConfig with Docker's defaults, networks to join at start).
 */
final class ContainerCreation {
    private final ContainerEngine engine;
    private final Images images;
    private final NetworkService net;
    private final VolumeService volumes;
    private final Path containersDir;
    /** Resolves {@code container:<x>} modes to a known container (404 otherwise). */
    private final Function<String, ContainerRecord> require;

    ContainerCreation(ContainerEngine engine, Images images, NetworkService net, VolumeService volumes, Path containersDir,
            Function<String, ContainerRecord> require) {
        this.engine = engine;
        this.images = images;
        this.net = net;
        this.volumes = volumes;
        this.containersDir = containersDir;
        this.require = require;
    }

    /** The engine's container (created here) and the record for a create request; the name is reserved by the caller. */
    ContainerRecord prepare(String id, String name, ContainerCreateRequest request, Image image,
            io.jcompose.runtime.image.manifest.ImageConfig ic, HostConfig hc) throws IOException {
        ContainerConfig req = request.config();
        String hostname = req.hostname() == null || req.hostname().isEmpty() ? id.substring(0, 12) : req.hostname();
        String mode = hc.networkMode() == null || hc.networkMode().isEmpty() || hc.networkMode().equals("default") ? "bridge"
                : hc.networkMode();

        // networks to attach at start: NetworkMode's first, then the other EndpointsConfig entries
        Map<String, EndpointSettings> nets = new LinkedHashMap<>();
        Map<String, EndpointSettings> asked = new LinkedHashMap<>();
        if (request.networkingConfig() != null && request.networkingConfig().endpointsConfig() != null) {
            // the CLI names the default network "default"
            request.networkingConfig().endpointsConfig().forEach((k, v) -> asked.put(k.equals("default") ? "bridge" : k, v));
        }
        ContainerSpec.NamespaceMode netns;
        if (mode.equals("host")) {
            netns = new ContainerSpec.NamespaceMode.Host();
            hostname = req.hostname() == null || req.hostname().isEmpty() ? hostHostname() : hostname;
        } else if (mode.startsWith("container:")) {
            netns = new ContainerSpec.NamespaceMode.Container(require.apply(mode.substring(10)).id());
        } else {
            netns = new ContainerSpec.NamespaceMode.Join(NetNamespace.pathFor(id));
            if (!mode.equals("none")) {
                String first = mode.equals(Networks.BRIDGE) ? mode
                        : net.find(mode).orElseThrow(() -> EngineApiException.notFound("network " + mode + " not found")).name();
                nets.put(first, asked.getOrDefault(mode, asked.get(first)));
                for (var e : asked.entrySet()) {
                    if (!e.getKey().equals(mode) && !nets.containsKey(e.getKey())) {
                        String other = e.getKey();
                        NetworkState n = net.find(other).orElseThrow(() -> EngineApiException.notFound("network " + other + " not found"));
                        nets.put(n.name(), e.getValue());
                    }
                }
            }
        }

        // mounts: binds, Mounts, Tmpfs, then anonymous volumes for image VOLUMEs nobody covered
        List<ContainerSpec.MountSpec> mounts = new ArrayList<>();
        List<MountPoint> points = new ArrayList<>();
        List<String> anonymous = new ArrayList<>();
        List<String> lowerDirs = images.service().lowerDirs(image).stream().map(Path::toString).toList();
        if (hc.binds() != null) {
            for (String b : hc.binds()) {
                String[] p = b.split(":");
                if (p.length < 2) {
                    throw EngineApiException.badRequest("invalid volume specification: '" + b + "'");
                }
                boolean ro = p.length > 2 && List.of(p[2].split(",")).contains("ro");
                if (p[0].startsWith("/")) {
                    mounts.add(new ContainerSpec.MountSpec.Bind(Path.of(p[0]), p[1], ro, null, true, true));
                    points.add(new MountPoint("bind", null, p[0], p[1], null, p.length > 2 ? p[2] : "", !ro, "rprivate"));
                } else {
                    addVolume(p[0], p[1], ro, false, lowerDirs, mounts, points, anonymous);
                }
            }
        }
        if (hc.mounts() != null) {
            for (var m : hc.mounts()) {
                boolean ro = Boolean.TRUE.equals(m.readOnly());
                switch (m.type() == null ? "volume" : m.type()) {
                    case "bind" -> {
                        mounts.add(new ContainerSpec.MountSpec.Bind(Path.of(m.source()), m.target(), ro,
                                m.bindOptions() == null ? null : m.bindOptions().propagation(),
                                m.bindOptions() == null || !Boolean.TRUE.equals(m.bindOptions().nonRecursive()),
                                m.bindOptions() != null && Boolean.TRUE.equals(m.bindOptions().createMountpoint())));
                        points.add(new MountPoint("bind", null, m.source(), m.target(), null, "", !ro, "rprivate"));
                    }
                    case "volume" -> addVolume(m.source(), m.target(), ro,
                            m.volumeOptions() != null && Boolean.TRUE.equals(m.volumeOptions().noCopy()), lowerDirs, mounts, points, anonymous);
                    case "tmpfs" -> {
                        mounts.add(new ContainerSpec.MountSpec.Tmpfs(m.target(),
                                m.tmpfsOptions() == null ? null : m.tmpfsOptions().sizeBytes(),
                                m.tmpfsOptions() == null ? null : m.tmpfsOptions().mode(), ro));
                        points.add(new MountPoint("tmpfs", null, "", m.target(), null, "", !ro, ""));
                    }
                    default -> throw EngineApiException.badRequest("mount type " + m.type() + " is not supported");
                }
            }
        }
        if (hc.tmpfs() != null) {
            hc.tmpfs().forEach((target, opts) -> {
                mounts.add(tmpfs(target, opts));
                points.add(new MountPoint("tmpfs", null, "", target, null, opts, true, ""));
            });
        }
        Set<String> imageVolumes = new LinkedHashSet<>(ic.volumes());
        if (req.volumes() != null) {
            imageVolumes.addAll(req.volumes().keySet());
        }
        for (String v : imageVolumes) {
            if (mounts.stream().noneMatch(m -> m.target().equals(v))) {
                addVolume(null, v, false, false, lowerDirs, mounts, points, anonymous);
            }
        }

        Path dir = containersDir.resolve(id);
        ContainerSpec spec = new ContainerSpec(images.service().lowerDirs(image),
                new ContainerSpec.ImageConfig(ic.entrypoint(), ic.cmd(), ic.env(), ic.workingDir(), ic.user(), ic.stopSignal()),
                req.entrypoint(), req.cmd(), req.env(), emptyToNull(req.workingDir()), emptyToNull(req.user()), hc.groupAdd(),
                Boolean.TRUE.equals(req.tty()), Boolean.TRUE.equals(req.openStdin()), Boolean.TRUE.equals(req.stdinOnce()),
                mode.equals("host") && (req.hostname() == null || req.hostname().isEmpty()) ? hostname : req.hostname() == null || req.hostname().isEmpty() ? null : req.hostname(),
                emptyToNull(req.domainname()), netns, namespace(hc.ipcMode(), true), namespace(hc.pidMode(), false), mounts,
                resources(hc), hc.capAdd(), hc.capDrop(), Boolean.TRUE.equals(hc.privileged()), Boolean.TRUE.equals(hc.readonlyRootfs()),
                hc.securityOpt() != null && hc.securityOpt().stream().anyMatch(o -> o.equals("no-new-privileges") || o.equals("no-new-privileges:true")
                        || o.equals("no-new-privileges=true")),
                hc.sysctls(), ulimits(hc), hc.shmSize() == null || hc.shmSize() == 0 ? null : hc.shmSize(), Boolean.TRUE.equals(hc.init()),
                emptyToNull(req.stopSignal()), req.stopTimeout(), logConfig(hc), hc.oomScoreAdj() == null ? 0 : hc.oomScoreAdj(),
                new ContainerSpec.EtcFiles(dir.resolve("hosts"), dir.resolve("hostname"), dir.resolve("resolv.conf")), seccompProfile(hc, dir));
        engine.create(id, spec);

        ContainerConfig effective = effectiveConfig(req, ic, hostname);
        HostConfig stored = withDefaults(hc, mode);
        return new ContainerRecord(id, name, engine.created(id).toString(), req.image(), image.id().toString(), effective, stored, nets,
                points, anonymous);
    }

    private void addVolume(String name, String target, boolean ro, boolean noCopy, List<String> lowerDirs, List<ContainerSpec.MountSpec> mounts,
            List<MountPoint> points, List<String> anonymous) {
        var v = volumes.create(new io.jcompose.runtime.api.model.VolumeCreateRequest(name, null, null, null));
        if (name == null) {
            anonymous.add(v.name());
        }
        Path source = volumes.mountpoint(v.name());
        if (!noCopy) {
            VolumeCopyUp.copyIfEmpty(lowerDirs.stream().map(Path::of).toList(), target, source);
        }
        mounts.add(new ContainerSpec.MountSpec.Volume(v.name(), source, target, ro));
        points.add(new MountPoint("volume", v.name(), source.toString(), target, "local", "z", !ro, ""));
    }

    private static ContainerSpec.MountSpec.Tmpfs tmpfs(String target, String opts) {
        Long size = null;
        Integer mode = null;
        boolean ro = false;
        for (String o : opts == null ? new String[0] : opts.split(",")) {
            if (o.startsWith("size=")) {
                size = parseBytes(o.substring(5));
            } else if (o.startsWith("mode=")) {
                mode = Integer.parseInt(o.substring(5), 8);
            } else if (o.equals("ro")) {
                ro = true;
            }
        }
        return new ContainerSpec.MountSpec.Tmpfs(target, size, mode, ro);
    }

    static Long parseBytes(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String t = s.toLowerCase(java.util.Locale.ROOT).replaceAll("b$", "");
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if ("kmg".indexOf(last) >= 0) {
            mult = last == 'k' ? 1024L : last == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        return Math.round(Double.parseDouble(t) * mult);
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private ContainerSpec.NamespaceMode namespace(String mode, boolean ipc) {
        if (mode == null || mode.isEmpty() || mode.equals("private")) {
            return new ContainerSpec.NamespaceMode.Private();
        }
        if (mode.equals("host")) {
            return new ContainerSpec.NamespaceMode.Host();
        }
        if (ipc && mode.equals("shareable")) {
            return new ContainerSpec.NamespaceMode.Shareable();
        }
        if (ipc && mode.equals("none")) {
            return new ContainerSpec.NamespaceMode.None();
        }
        if (mode.startsWith("container:")) {
            return new ContainerSpec.NamespaceMode.Container(require.apply(mode.substring(10)).id());
        }
        throw EngineApiException.badRequest("invalid " + (ipc ? "IPC" : "PID") + " mode: " + mode);
    }

    /**
     * {@code --security-opt seccomp=<profile JSON or file>}, {@code seccomp=unconfined}; no option:
     * null, Docker's default profile.
     */
    private static Path seccompProfile(HostConfig hc, Path dir) throws IOException {
        if (hc.securityOpt() == null) {
            return null;
        }
        for (String o : hc.securityOpt()) {
            String v = o.startsWith("seccomp=") ? o.substring(8) : o.startsWith("seccomp:") ? o.substring(8) : null;
            if ("unconfined".equals(v)) {
                return ContainerSpec.SECCOMP_UNCONFINED;
            }
            if (v != null && v.startsWith("{")) { // the CLI sends the profile's content
                Files.createDirectories(dir);
                return Files.writeString(dir.resolve("seccomp.json"), v);
            }
            if (v != null && v.startsWith("/")) {
                return Path.of(v);
            }
        }
        return null;
    }

    private static ContainerSpec.Resources resources(HostConfig hc) {
        Long quota = hc.cpuQuota();
        Long period = hc.cpuPeriod();
        if (hc.nanoCpus() != null && hc.nanoCpus() > 0) {
            period = 100_000L;
            quota = hc.nanoCpus() / 10_000;
        }
        return new ContainerSpec.Resources(positive(hc.memory()), hc.memorySwap() == null || hc.memorySwap() == 0 ? null : hc.memorySwap(),
                positive(hc.memoryReservation()), positive(hc.cpuShares()), positive(quota), positive(period), emptyToNull(hc.cpusetCpus()),
                emptyToNull(hc.cpusetMems()), hc.pidsLimit() == null || hc.pidsLimit() == 0 ? null : hc.pidsLimit(), null);
    }

    private static Long positive(Long v) {
        return v == null || v <= 0 ? null : v;
    }

    private static List<ContainerSpec.Ulimit> ulimits(HostConfig hc) {
        if (hc.ulimits() == null) {
            return List.of();
        }
        return hc.ulimits().stream().map(u -> new ContainerSpec.Ulimit(u.name(), u.soft() == null ? 0 : u.soft(), u.hard() == null ? 0 : u.hard()))
                .toList();
    }

    private static ContainerSpec.LogConfig logConfig(HostConfig hc) {
        if (hc.logConfig() == null || hc.logConfig().config() == null) {
            return ContainerSpec.LogConfig.DEFAULT;
        }
        Map<String, String> c = hc.logConfig().config();
        return new ContainerSpec.LogConfig(parseBytes(c.get("max-size")), c.containsKey("max-file") ? Integer.parseInt(c.get("max-file")) : 1);
    }

    /** The Config inspect shows: the request over the image's defaults. */
    private static ContainerConfig effectiveConfig(ContainerConfig req, io.jcompose.runtime.image.manifest.ImageConfig ic, String hostname) {
        List<String> env = io.jcompose.runtime.container.Environment.overlay(concat(ic.env(), req.env()));
        boolean entrypointGiven = req.entrypoint() != null;
        List<String> entrypoint = entrypointGiven ? req.entrypoint() : ic.entrypoint();
        List<String> cmd = req.cmd() != null && !req.cmd().isEmpty() ? req.cmd() : entrypointGiven ? null : ic.cmd();
        Map<String, String> labels = new LinkedHashMap<>(ic.labels() == null ? Map.of() : ic.labels());
        if (req.labels() != null) {
            labels.putAll(req.labels());
        }
        Map<String, Map<String, Object>> ports = new LinkedHashMap<>();
        ic.exposedPorts().forEach(p -> ports.put(p, Map.of()));
        if (req.exposedPorts() != null) {
            ports.putAll(req.exposedPorts());
        }
        Map<String, Map<String, Object>> vols = new LinkedHashMap<>();
        ic.volumes().forEach(v -> vols.put(v, Map.of()));
        if (req.volumes() != null) {
            vols.putAll(req.volumes());
        }
        var imageHealth = Images.containerConfig(ic).healthcheck();
        return new ContainerConfig(hostname, req.domainname() == null ? "" : req.domainname(),
                req.user() != null && !req.user().isEmpty() ? req.user() : ic.user(), bool(req.attachStdin()), bool(req.attachStdout()),
                bool(req.attachStderr()), ports.isEmpty() ? null : ports, bool(req.tty()), bool(req.openStdin()), bool(req.stdinOnce()), env, cmd,
                Health.merge(req.healthcheck(), imageHealth), req.image(), vols.isEmpty() ? null : vols,
                req.workingDir() != null && !req.workingDir().isEmpty() ? req.workingDir() : ic.workingDir(), entrypoint, null, null, labels,
                req.stopSignal() != null ? req.stopSignal() : ic.stopSignal(), req.stopTimeout(), ic.shell());
    }

    private static Boolean bool(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a == null ? List.of() : a);
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    private static HostConfig withDefaults(HostConfig h, String mode) {
        return new HostConfig(h.binds(), h.logConfig() == null || h.logConfig().type() == null || h.logConfig().type().isEmpty()
                ? new HostConfig.LogConfig("json-file", Map.of()) : h.logConfig(), mode, h.portBindings() == null ? Map.of() : h.portBindings(),
                h.restartPolicy() == null || h.restartPolicy().name() == null ? new HostConfig.RestartPolicy("no", 0) : h.restartPolicy(),
                bool(h.autoRemove()), h.volumeDriver(), h.volumesFrom(), h.mounts(), h.capAdd(), h.capDrop(), h.cgroupnsMode(), h.dns(),
                h.dnsOptions(), h.dnsSearch(), h.extraHosts(), h.groupAdd(), h.ipcMode() == null || h.ipcMode().isEmpty() ? "private" : h.ipcMode(),
                h.cgroup(), h.links(), h.oomScoreAdj() == null ? 0 : h.oomScoreAdj(), h.pidMode() == null ? "" : h.pidMode(), bool(h.privileged()),
                bool(h.publishAllPorts()), bool(h.readonlyRootfs()), h.securityOpt(), h.storageOpt(), h.tmpfs(), h.utsMode(), h.usernsMode(),
                h.shmSize() == null || h.shmSize() == 0 ? 67108864L : h.shmSize(), h.sysctls(), "runc", h.init(), h.cgroupParent(),
                h.memory() == null ? 0L : h.memory(), h.memorySwap() == null ? 0L : h.memorySwap(), h.memoryReservation() == null ? 0L
                        : h.memoryReservation(), h.nanoCpus() == null ? 0L : h.nanoCpus(), h.cpuShares() == null ? 0L : h.cpuShares(),
                h.cpuPeriod() == null ? 0L : h.cpuPeriod(), h.cpuQuota() == null ? 0L : h.cpuQuota(), h.cpusetCpus() == null ? "" : h.cpusetCpus(),
                h.cpusetMems() == null ? "" : h.cpusetMems(), h.pidsLimit(), h.ulimits(), h.devices(), h.oomKillDisable(), h.consoleSize());
    }
}
