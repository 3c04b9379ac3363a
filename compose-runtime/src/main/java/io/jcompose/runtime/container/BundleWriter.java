package io.jcompose.runtime.container;

import io.jcompose.runtime.container.ContainerSpec.MountSpec;
import io.jcompose.runtime.container.ContainerSpec.NamespaceMode;
import io.jcompose.runtime.container.UserResolver.ResolvedUser;
import io.jcompose.runtime.container.oci.OciSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.SerializationFeature;
import io.jcompose.runtime.container.seccomp.DefaultSeccompProfile;
import io.jcompose.runtime.container.seccomp.SeccompProfile;
import io.jcompose.runtime.container.seccomp.SeccompProfile.KernelVersion;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a {@link ContainerSpec} into the OCI {@code config.json} Docker would write for it
 * (RUNTIME-FACTS §1–2): default capabilities, mounts, masked and read-only paths, device rules,
 * namespaces, sysctls and resources. The same file is read by {@code jcompose-shim} and by runc.
 */
public final class BundleWriter {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Where the host's cgroup layout is unified (v2): decides the cgroup namespace, as Docker does. */
    private final boolean cgroupV2;
    /** The engine's cgroup parent: {@code linux.cgroupsPath} is {@code /<parent>/<id>}. */
    private final String cgroupParent;

    /** @param cgroupParent the engine's parent cgroup name ({@code jcompose-<tag>}) */
    public BundleWriter(boolean cgroupV2, String cgroupParent) {
        this.cgroupV2 = cgroupV2;
        this.cgroupParent = cgroupParent;
    }

    /**
     * For the machine we run on, with the cgroup parent of {@code names} (tests and tools that
     * write bundles without an engine take the names of a temp dir of theirs, and remove that
     * parent when done: {@code CgroupParents.forHost(names.cgroupParent()).removeIfEmpty()}).
     */
    public static BundleWriter forHost(io.jcompose.runtime.sys.HostNames names) {
        return new BundleWriter(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")), names.cgroupParent());
    }

    /**
     * The spec for container {@code id}.
     *
     * @param rootfs the mounted root filesystem (absolute)
     * @param user   the user resolved in that root ({@link UserResolver})
     * @param args   the process argv ({@link ProcessArgs})
     */
    public OciSpec build(String id, ContainerSpec spec, Path rootfs, ResolvedUser user, List<String> args) {
        return build(id, spec, rootfs, user, args, null);
    }

    /**
     * As {@link #build(String, ContainerSpec, Path, ResolvedUser, List)}, with /dev/shm bound from
     * {@code shmDir} (a host-side tmpfs for ipc {@code shareable} and {@code container:x}); namespace
     * modes must already be resolved to paths ({@link NamespaceMode.Container} is the engine's).
     */
    public OciSpec build(String id, ContainerSpec spec, Path rootfs, ResolvedUser user, List<String> args, Path shmDir) {
        String hostname = spec.hostname() != null ? spec.hostname() : id.substring(0, Math.min(12, id.length()));
        List<String> env = Environment.merge(hostname, spec.tty(), spec.image().env(), spec.env());
        String cwd = spec.workingDir() != null && !spec.workingDir().isEmpty() ? spec.workingDir()
                : spec.image().workingDir() != null && !spec.image().workingDir().isEmpty() ? spec.image().workingDir() : "/";
        List<String> caps = capabilities(spec);
        var capabilities = new OciSpec.Capabilities(caps, caps, null, caps, null);
        List<OciSpec.Rlimit> rlimits = spec.ulimits().isEmpty() ? null : spec.ulimits().stream()
                .map(u -> new OciSpec.Rlimit("RLIMIT_" + u.name().toUpperCase(Locale.ROOT), u.hard(), u.soft())).toList();
        var process = new OciSpec.Process(spec.tty(), new OciSpec.User(user.uid(), user.gid(), user.additionalGids(), null),
                args, env, cwd, capabilities, rlimits, spec.noNewPrivileges() ? Boolean.TRUE : null, spec.oomScoreAdj());
        boolean hostNet = spec.network() instanceof NamespaceMode.Host;
        var linux = new OciSpec.Linux(sysctls(spec), resources(spec), "/" + cgroupParent + "/" + id, namespaces(spec),
                spec.privileged() ? hostDevices() : null,
                spec.privileged() ? List.of() : DockerDefaults.maskedPaths(),
                spec.privileged() ? List.of() : DockerDefaults.READONLY_PATHS, null, seccomp(spec, caps));
        return new OciSpec("1.0.2", process, new OciSpec.Root(rootfs.toString(), spec.readOnly() ? Boolean.TRUE : null),
                hostNet ? null : hostname, spec.domainname(), mounts(spec, shmDir), linux, null);
    }

    /**
     * Rejects what Docker (and runc) would reject before anything is created: unknown
     * capabilities and sysctls that are not isolated by the container's namespaces.
     */
    public static void validate(ContainerSpec spec) {
        capabilities(spec);
        for (String key : spec.sysctls().keySet()) {
            boolean ipc = key.startsWith("fs.mqueue.") || key.startsWith("kernel.msg") || key.startsWith("kernel.shm")
                    || key.equals("kernel.sem");
            boolean ownIpc = !(spec.ipc() instanceof NamespaceMode.Host);
            boolean ownNet = !(spec.network() instanceof NamespaceMode.Host);
            if (ipc && ownIpc) continue;
            if (key.startsWith("net.") && ownNet) continue;
            if (key.startsWith("net.") || ipc)
                throw new IllegalArgumentException("sysctl \"" + key + "\" is not allowed: the container shares the host's "
                        + (ipc ? "ipc" : "network") + " namespace");
            throw new IllegalArgumentException("sysctl \"" + key + "\" is not allowed: only namespaced sysctls "
                    + "(kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*) can be set in a container");
        }
    }

    /** Writes {@code config.json} into the bundle directory atomically. */
    public static void write(Path bundle, OciSpec spec) throws IOException {
        Files.createDirectories(bundle);
        Path tmp = bundle.resolve("config.json.tmp");
        JSON.writeValue(tmp.toFile(), spec);
        Files.move(tmp, bundle.resolve("config.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The JSON text of a spec (tests, exec process files). */
    public static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** Docker's TweakCapabilities: defaults (or all when privileged / ALL added), plus adds, minus drops. */
    static List<String> capabilities(ContainerSpec spec) {
        if (spec.privileged()) return hostCapabilities();
        List<String> add = spec.capAdd().stream().map(BundleWriter::capName).toList();
        List<String> drop = spec.capDrop().stream().map(BundleWriter::capName).toList();
        Set<String> caps = new LinkedHashSet<>();
        if (!drop.contains("CAP_ALL")) caps.addAll(DockerDefaults.CAPABILITIES);
        if (add.contains("CAP_ALL")) caps.addAll(hostCapabilities());
        for (String c : add) {
            if (c.equals("CAP_ALL")) continue;
            if (!DockerDefaults.ALL_CAPABILITIES.contains(c)) throw new IllegalArgumentException("unknown capability: \"" + c + "\"");
            caps.add(c);
        }
        for (String c : drop) if (!add.contains(c)) caps.remove(c);
        return List.copyOf(caps);
    }

    /**
     * "All" capabilities: those of the engine's own bounding set (Docker takes every capability
     * the kernel knows, which fails where the engine itself runs with fewer).
     */
    static List<String> hostCapabilities() {
        long bnd = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("CapBnd:")) bnd = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        } catch (IOException e) {
            // not Linux /proc: all known capabilities
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < DockerDefaults.ALL_CAPABILITIES.size(); i++)
            if ((bnd & (1L << i)) != 0) out.add(DockerDefaults.ALL_CAPABILITIES.get(i));
        return List.copyOf(out);
    }

    private static String capName(String c) {
        String u = c.toUpperCase(Locale.ROOT);
        return u.startsWith("CAP_") ? u : "CAP_" + u;
    }

    private Map<String, String> sysctls(ContainerSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!(spec.network() instanceof NamespaceMode.Host)) out.putAll(new java.util.TreeMap<>(DockerDefaults.NETNS_SYSCTLS));
        out.putAll(new java.util.TreeMap<>(spec.sysctls()));
        return out.isEmpty() ? null : out;
    }

    private List<OciSpec.Namespace> namespaces(ContainerSpec spec) {
        List<OciSpec.Namespace> ns = new ArrayList<>();
        ns.add(new OciSpec.Namespace("mount", null));
        switch (spec.network()) {
            case NamespaceMode.Host h -> { }
            case NamespaceMode.Join j -> ns.add(new OciSpec.Namespace("network", j.path().toString()));
            case NamespaceMode.Private p -> ns.add(new OciSpec.Namespace("network", null));
            case NamespaceMode.None n -> ns.add(new OciSpec.Namespace("network", null));
            case NamespaceMode.Shareable sh -> ns.add(new OciSpec.Namespace("network", null));
            case NamespaceMode.Container c -> throw unresolved(c);
        }
        // with the host network the hostname is the host's too (Docker shares the UTS namespace)
        if (!(spec.network() instanceof NamespaceMode.Host)) ns.add(new OciSpec.Namespace("uts", null));
        join(ns, "pid", spec.pid());
        join(ns, "ipc", spec.ipc());
        if (cgroupV2) ns.add(new OciSpec.Namespace("cgroup", null));
        return ns;
    }

    private static void join(List<OciSpec.Namespace> ns, String type, NamespaceMode mode) {
        switch (mode) {
            case NamespaceMode.Host h -> { }
            case NamespaceMode.Join j -> ns.add(new OciSpec.Namespace(type, j.path().toString()));
            case NamespaceMode.Private p -> ns.add(new OciSpec.Namespace(type, null));
            case NamespaceMode.None n -> ns.add(new OciSpec.Namespace(type, null));
            case NamespaceMode.Shareable sh -> ns.add(new OciSpec.Namespace(type, null));
            case NamespaceMode.Container c -> throw unresolved(c);
        }
    }

    private static IllegalStateException unresolved(NamespaceMode.Container c) {
        return new IllegalStateException("namespace of container " + c.id() + " must be resolved to a path before writing the bundle");
    }

    private static final KernelVersion KERNEL = KernelVersion.running();

    /**
     * The spec's linux.seccomp: Docker's default profile, or the container's own profile file,
     * resolved for its bounding capabilities, our architecture and kernel (moby's setupSeccomp);
     * none when unconfined, and none for a privileged container without a profile of its own.
     */
    private static tools.jackson.databind.JsonNode seccomp(ContainerSpec spec, List<String> boundingCaps) {
        Path file = spec.seccompProfile();
        if (ContainerSpec.SECCOMP_UNCONFINED.equals(file) || file == null && spec.privileged()) return null;
        SeccompProfile profile;
        try {
            profile = file == null ? DefaultSeccompProfile.PROFILE : SeccompProfile.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("opening seccomp profile (" + file + ") failed: " + e.getMessage());
        }
        return profile.forContainer(boundingCaps, SeccompProfile.nativeArch(), KERNEL);
    }

    /** Privileged: every device node of the host's /dev, as containerd's HostDevices lists them. */
    static List<OciSpec.Device> hostDevices() {
        List<OciSpec.Device> out = new ArrayList<>();
        Set<String> skip = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev", "console");
        try (var walk = Files.walk(Path.of("/dev"))) {
            for (Path p : walk.filter(p -> {
                for (Path part : Path.of("/dev").relativize(p)) if (skip.contains(part.toString())) return false;
                return true;
            }).toList()) {
                if (Files.isSymbolicLink(p) || Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                String type = (mode & 0170000) == 0020000 ? "c" : (mode & 0170000) == 0060000 ? "b" : null;
                if (type == null) continue;
                long rdev = (Long) a.get("rdev");
                long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
                long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
                out.add(new OciSpec.Device(type, p.toString(), major, minor, mode & 0777,
                        ((Integer) a.get("uid")).longValue(), ((Integer) a.get("gid")).longValue()));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a device vanishing while we look is not an error
        }
        return List.copyOf(out);
    }

    private static OciSpec.Resources resources(ContainerSpec spec) {
        var r = spec.resources();
        List<OciSpec.DeviceRule> devices = spec.privileged()
                ? List.of(new OciSpec.DeviceRule(true, null, null, null, "rwm"))
                : List.of(new OciSpec.DeviceRule(false, null, null, null, "rwm"),
                        new OciSpec.DeviceRule(true, "c", 1L, 5L, "rwm"),
                        new OciSpec.DeviceRule(true, "c", 1L, 3L, "rwm"),
                        new OciSpec.DeviceRule(true, "c", 1L, 9L, "rwm"),
                        new OciSpec.DeviceRule(true, "c", 1L, 8L, "rwm"),
                        new OciSpec.DeviceRule(true, "c", 5L, 0L, "rwm"),
                        new OciSpec.DeviceRule(true, "c", 5L, 1L, "rwm"),
                        new OciSpec.DeviceRule(false, "c", 10L, 229L, "rwm"));
        OciSpec.Memory memory = null;
        if (r.memoryBytes() != null || r.memoryReservationBytes() != null || r.memorySwapBytes() != null) {
            Long swap = r.memorySwapBytes();
            // Docker: memory set, memswap unset → swap limit twice the memory
            if (swap == null && r.memoryBytes() != null && r.memoryBytes() > 0) swap = r.memoryBytes() * 2;
            memory = new OciSpec.Memory(r.memoryBytes(), r.memoryReservationBytes(), swap, null);
        }
        OciSpec.Cpu cpu = null;
        if (r.cpuShares() != null || r.cpuQuotaMicros() != null || r.cpusetCpus() != null || r.cpusetMems() != null) {
            cpu = new OciSpec.Cpu(r.cpuShares(), r.cpuQuotaMicros(), r.cpuQuotaMicros() != null ? r.cpuPeriodMicros() : null,
                    r.cpusetCpus(), r.cpusetMems());
        }
        OciSpec.Pids pids = r.pidsLimit() != null && r.pidsLimit() > 0 ? new OciSpec.Pids(r.pidsLimit()) : null;
        OciSpec.BlockIO blkio = r.blkioWeight() != null ? new OciSpec.BlockIO(r.blkioWeight()) : null;
        return new OciSpec.Resources(devices, memory, cpu, pids, blkio);
    }

    /** Default mounts, then engine files and user mounts sorted by depth; a user mount replaces a default. */
    private static List<OciSpec.Mount> mounts(ContainerSpec spec, Path shmDir) {
        boolean ro = spec.readOnly(), priv = spec.privileged();
        List<OciSpec.Mount> defaults = new ArrayList<>(List.of(
                new OciSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciSpec.Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new OciSpec.Mount("/sys", "sysfs", "sysfs", priv ? List.of("nosuid", "noexec", "nodev") : List.of("nosuid", "noexec", "nodev", "ro")),
                new OciSpec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", priv ? List.of("nosuid", "noexec", "nodev") : List.of("ro", "nosuid", "noexec", "nodev")),
                new OciSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"))));
        if (shmDir != null) {
            defaults.add(new OciSpec.Mount("/dev/shm", "bind", shmDir.toString(), List.of("rbind", "rprivate")));
        } else if (!(spec.ipc() instanceof NamespaceMode.None)) {
            long shm = spec.shmSize() != null && spec.shmSize() > 0 ? spec.shmSize() : DockerDefaults.SHM_SIZE;
            defaults.add(new OciSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shm)));
        }
        List<OciSpec.Mount> user = new ArrayList<>();
        var etc = spec.etcFiles();
        if (etc != null) {
            etcBind(user, etc.resolvConf(), "/etc/resolv.conf", ro);
            etcBind(user, etc.hostname(), "/etc/hostname", ro);
            etcBind(user, etc.hosts(), "/etc/hosts", ro);
        }
        for (MountSpec m : spec.mounts()) user.add(switch (m) {
            case MountSpec.Bind b -> new OciSpec.Mount(b.target(), "bind", b.source().toString(),
                    bindOptions(b.recursive(), b.propagation(), b.readOnly()));
            case MountSpec.Volume v -> new OciSpec.Mount(v.target(), "bind", v.source().toString(),
                    bindOptions(true, null, v.readOnly()));
            case MountSpec.Tmpfs t -> {
                List<String> o = new ArrayList<>(List.of("noexec", "nosuid", "nodev", "rprivate"));
                if (t.readOnly()) o.add("ro");
                if (t.sizeBytes() != null) o.add("size=" + t.sizeBytes());
                if (t.mode() != null) o.add("mode=" + Integer.toOctalString(t.mode()));
                yield new OciSpec.Mount(t.target(), "tmpfs", "tmpfs", List.copyOf(o));
            }
        });
        Set<String> userDests = new java.util.HashSet<>();
        for (OciSpec.Mount m : user) userDests.add(m.destination());
        boolean userDev = userDests.contains("/dev");
        List<OciSpec.Mount> out = new ArrayList<>();
        for (OciSpec.Mount d : defaults) {
            if (userDests.contains(d.destination()) || (userDev && d.destination().startsWith("/dev/"))) continue;
            // --read-only makes the default mounts ro too, except the ones a process must write
            if (ro && !List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue").contains(d.destination())
                    && !d.options().contains("ro")) {
                List<String> o = new ArrayList<>(d.options());
                o.add("ro");
                d = new OciSpec.Mount(d.destination(), d.type(), d.source(), List.copyOf(o));
            }
            out.add(d);
        }
        user.sort(Comparator.comparingInt(m -> depth(m.destination())));
        out.addAll(user);
        return out;
    }

    /** rbind (or bind), propagation (default rprivate), and recursive read-only when asked. */
    private static List<String> bindOptions(boolean recursive, String propagation, boolean readOnly) {
        List<String> o = new ArrayList<>(List.of(recursive ? "rbind" : "bind", propagation != null ? propagation : "rprivate"));
        if (readOnly) o.add("rro");
        return List.copyOf(o);
    }

    private static void etcBind(List<OciSpec.Mount> out, Path source, String dest, boolean ro) {
        if (source == null) return;
        out.add(new OciSpec.Mount(dest, "bind", source.toString(), ro ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate")));
    }

    private static int depth(String p) {
        return (int) Path.of(p).normalize().toString().chars().filter(c -> c == '/').count();
    }
}
