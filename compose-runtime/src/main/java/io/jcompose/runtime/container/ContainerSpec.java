package io.jcompose.runtime.container;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the engine needs to create one container, already merged from the image and the
 * request (the daemon's job), except what {@link ProcessArgs}, {@link Environment} and
 * {@link UserResolver} compute from the image. Immutable; persisted with the container so a
 * restarted engine can start it again.
 *
 * @param lowerDirs     image snapshot directories, top layer first (overlayfs lowerdir order)
 * @param image         the image's own defaults (entrypoint, cmd, env, working dir, user)
 * @param entrypoint    request entrypoint; {@code null} = not given (image's applies)
 * @param command       request command; {@code null} or empty = not given
 * @param env           request env ({@code KEY=VALUE}, a bare {@code KEY} deletes)
 * @param workingDir    request working dir, {@code null} = image's, else {@code /}
 * @param user          request user ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group}), null = image's
 * @param groupAdd      extra groups (names or gids) as {@code group_add}
 * @param hostname      container hostname ({@code null}: first 12 chars of the id)
 * @param network       network namespace: private netns given by the network side, host, or none
 * @param ipc           ipc namespace mode
 * @param pid           pid namespace mode
 * @param mounts        user mounts (bind, volume, tmpfs); a mount at a default destination replaces it
 * @param resources     cgroup limits
 * @param etcFiles      host files bind-mounted at /etc/hosts, /etc/hostname, /etc/resolv.conf (null: none)
 * @param seccompProfile a seccomp profile file in Docker's form (defaultAction, syscalls with
 *                      names/action/args and includes/excludes; the OCI form is a subset); null:
 *                      Docker's default profile ({@link io.jcompose.runtime.container.seccomp.DefaultSeccompProfile}),
 *                      except for a privileged container; {@link #SECCOMP_UNCONFINED}: no filter
 */
public record ContainerSpec(
        List<Path> lowerDirs,
        ImageConfig image,
        List<String> entrypoint,
        List<String> command,
        List<String> env,
        String workingDir,
        String user,
        List<String> groupAdd,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        String hostname,
        String domainname,
        NamespaceMode network,
        NamespaceMode ipc,
        NamespaceMode pid,
        List<MountSpec> mounts,
        Resources resources,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean readOnly,
        boolean noNewPrivileges,
        Map<String, String> sysctls,
        List<Ulimit> ulimits,
        Long shmSize,
        boolean init,
        String stopSignal,
        Integer stopTimeoutSeconds,
        LogConfig log,
        int oomScoreAdj,
        EtcFiles etcFiles,
        Path seccompProfile) {

    /** The {@code seccompProfile} of {@code security_opt: seccomp=unconfined}: no filter. A path that is never a file (/dev/null is no directory), so it survives the spec's JSON round trip as any path does. */
    public static final Path SECCOMP_UNCONFINED = Path.of("/dev/null/unconfined");

    public ContainerSpec {
        lowerDirs = List.copyOf(Objects.requireNonNull(lowerDirs, "lowerDirs"));
        image = image == null ? ImageConfig.EMPTY : image;
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = command == null ? null : List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
        network = network == null ? new NamespaceMode.Private() : network;
        ipc = ipc == null ? new NamespaceMode.Private() : ipc;
        pid = pid == null ? new NamespaceMode.Private() : pid;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        resources = resources == null ? Resources.NONE : resources;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        log = log == null ? LogConfig.DEFAULT : log;
    }

    /** A builder starting from this spec ({@code spec.toBuilder().user("app").build()}). */
    public Builder toBuilder() {
        Builder b = new Builder(lowerDirs);
        b.image = image;
        b.entrypoint = entrypoint;
        b.command = command;
        b.env = env;
        b.workingDir = workingDir;
        b.user = user;
        b.groupAdd = groupAdd;
        b.tty = tty;
        b.openStdin = openStdin;
        b.stdinOnce = stdinOnce;
        b.hostname = hostname;
        b.domainname = domainname;
        b.network = network;
        b.ipc = ipc;
        b.pid = pid;
        b.mounts = mounts;
        b.resources = resources;
        b.capAdd = capAdd;
        b.capDrop = capDrop;
        b.privileged = privileged;
        b.readOnly = readOnly;
        b.noNewPrivileges = noNewPrivileges;
        b.sysctls = sysctls;
        b.ulimits = ulimits;
        b.shmSize = shmSize;
        b.init = init;
        b.stopSignal = stopSignal;
        b.stopTimeoutSeconds = stopTimeoutSeconds;
        b.log = log;
        b.oomScoreAdj = oomScoreAdj;
        b.etcFiles = etcFiles;
        b.seccompProfile = seccompProfile;
        return b;
    }

    /** A builder with Docker's defaults for everything but the layers. */
    public static Builder builder(List<Path> lowerDirs) {
        return new Builder(lowerDirs);
    }

    /** Builds a {@link ContainerSpec} field by field; unset fields take Docker's defaults. */
    public static final class Builder {
        private List<Path> lowerDirs;
        private ImageConfig image;
        private List<String> entrypoint;
        private List<String> command;
        private List<String> env;
        private String workingDir;
        private String user;
        private List<String> groupAdd;
        private boolean tty;
        private boolean openStdin;
        private boolean stdinOnce;
        private String hostname;
        private String domainname;
        private NamespaceMode network;
        private NamespaceMode ipc;
        private NamespaceMode pid;
        private List<MountSpec> mounts;
        private Resources resources;
        private List<String> capAdd;
        private List<String> capDrop;
        private boolean privileged;
        private boolean readOnly;
        private boolean noNewPrivileges;
        private Map<String, String> sysctls;
        private List<Ulimit> ulimits;
        private Long shmSize;
        private boolean init;
        private String stopSignal;
        private Integer stopTimeoutSeconds;
        private LogConfig log;
        private int oomScoreAdj;
        private EtcFiles etcFiles;
        private Path seccompProfile;

        private Builder(List<Path> lowerDirs) {
            this.lowerDirs = lowerDirs;
        }

        public Builder lowerDirs(List<Path> lowerDirs) {
            this.lowerDirs = lowerDirs;
            return this;
        }

        public Builder image(ImageConfig image) {
            this.image = image;
            return this;
        }

        public Builder entrypoint(List<String> entrypoint) {
            this.entrypoint = entrypoint;
            return this;
        }

        public Builder command(List<String> command) {
            this.command = command;
            return this;
        }

        public Builder env(List<String> env) {
            this.env = env;
            return this;
        }

        public Builder workingDir(String workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder groupAdd(List<String> groupAdd) {
            this.groupAdd = groupAdd;
            return this;
        }

        public Builder tty(boolean tty) {
            this.tty = tty;
            return this;
        }

        public Builder openStdin(boolean openStdin) {
            this.openStdin = openStdin;
            return this;
        }

        public Builder stdinOnce(boolean stdinOnce) {
            this.stdinOnce = stdinOnce;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder domainname(String domainname) {
            this.domainname = domainname;
            return this;
        }

        public Builder network(NamespaceMode network) {
            this.network = network;
            return this;
        }

        public Builder ipc(NamespaceMode ipc) {
            this.ipc = ipc;
            return this;
        }

        public Builder pid(NamespaceMode pid) {
            this.pid = pid;
            return this;
        }

        public Builder mounts(List<MountSpec> mounts) {
            this.mounts = mounts;
            return this;
        }

        public Builder resources(Resources resources) {
            this.resources = resources;
            return this;
        }

        public Builder capAdd(List<String> capAdd) {
            this.capAdd = capAdd;
            return this;
        }

        public Builder capDrop(List<String> capDrop) {
            this.capDrop = capDrop;
            return this;
        }

        public Builder privileged(boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder noNewPrivileges(boolean noNewPrivileges) {
            this.noNewPrivileges = noNewPrivileges;
            return this;
        }

        public Builder sysctls(Map<String, String> sysctls) {
            this.sysctls = sysctls;
            return this;
        }

        public Builder ulimits(List<Ulimit> ulimits) {
            this.ulimits = ulimits;
            return this;
        }

        public Builder shmSize(Long shmSize) {
            this.shmSize = shmSize;
            return this;
        }

        public Builder init(boolean init) {
            this.init = init;
            return this;
        }

        public Builder stopSignal(String stopSignal) {
            this.stopSignal = stopSignal;
            return this;
        }

        public Builder stopTimeoutSeconds(Integer stopTimeoutSeconds) {
            this.stopTimeoutSeconds = stopTimeoutSeconds;
            return this;
        }

        public Builder log(LogConfig log) {
            this.log = log;
            return this;
        }

        public Builder oomScoreAdj(int oomScoreAdj) {
            this.oomScoreAdj = oomScoreAdj;
            return this;
        }

        public Builder etcFiles(EtcFiles etcFiles) {
            this.etcFiles = etcFiles;
            return this;
        }

        public Builder seccompProfile(Path seccompProfile) {
            this.seccompProfile = seccompProfile;
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(lowerDirs, image, entrypoint, command, env, workingDir, user, groupAdd, tty, openStdin,
                    stdinOnce, hostname, domainname, network, ipc, pid, mounts, resources, capAdd, capDrop, privileged, readOnly,
                    noNewPrivileges, sysctls, ulimits, shmSize, init, stopSignal, stopTimeoutSeconds, log, oomScoreAdj, etcFiles,
                    seccompProfile);
        }
    }

    /** A spec with Docker's defaults everywhere, running {@code command} on the given layers. */
    public static ContainerSpec of(List<Path> lowerDirs, List<String> command) {
        return builder(lowerDirs).command(command).build();
    }

    /** Image defaults (from the image config; the image side fills them). */
    public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                              String user, String stopSignal) {
        public static final ImageConfig EMPTY = new ImageConfig(null, null, List.of(), null, null, null);
    }

    /** How a namespace is obtained. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "mode")
    @JsonSubTypes({@JsonSubTypes.Type(value = NamespaceMode.Private.class, name = "private"),
            @JsonSubTypes.Type(value = NamespaceMode.Host.class, name = "host"),
            @JsonSubTypes.Type(value = NamespaceMode.Join.class, name = "join"),
            @JsonSubTypes.Type(value = NamespaceMode.None.class, name = "none"),
            @JsonSubTypes.Type(value = NamespaceMode.Container.class, name = "container"),
            @JsonSubTypes.Type(value = NamespaceMode.Shareable.class, name = "shareable")})
    public sealed interface NamespaceMode {
        /** A new namespace of the container's own (for network: no interfaces but lo unless a path is given). */
        record Private() implements NamespaceMode {}
        /** The host's namespace (no new one). */
        record Host() implements NamespaceMode {}
        /** Join an existing namespace: a netns under /run/netns, or {@code /proc/<pid>/ns/<type>} of another container. */
        record Join(Path path) implements NamespaceMode {}
        /** ipc only: no /dev/shm at all; network: only lo. */
        record None() implements NamespaceMode {}
        /**
         * Another container's namespace ({@code network_mode}/{@code ipc}/{@code pid: container:x}),
         * resolved by the engine at start; for ipc that container must be {@link Shareable} and
         * its /dev/shm is shared too.
         */
        record Container(String id) implements NamespaceMode {}
        /** ipc only: a private namespace whose /dev/shm others may join (the engine mounts it on the host side). */
        record Shareable() implements NamespaceMode {}
    }

    /** A user mount. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = MountSpec.Bind.class, name = "bind"),
            @JsonSubTypes.Type(value = MountSpec.Volume.class, name = "volume"),
            @JsonSubTypes.Type(value = MountSpec.Tmpfs.class, name = "tmpfs")})
    public sealed interface MountSpec {
        String target();

        /**
         * A host path bound into the container. {@code createHostPath}: a missing source is
         * created as a directory at start (the {@code -v /src:/dst} and compose short syntax
         * behaviour); otherwise a missing source is an error.
         */
        record Bind(Path source, String target, boolean readOnly, String propagation, boolean recursive,
                    boolean createHostPath) implements MountSpec {}

        /** A volume's directory (named or anonymous; the volume side creates and populates it). */
        record Volume(String name, Path source, String target, boolean readOnly) implements MountSpec {}

        /** A tmpfs; {@code sizeBytes} and {@code mode} optional. */
        record Tmpfs(String target, Long sizeBytes, Integer mode, boolean readOnly) implements MountSpec {}
    }

    /** cgroup limits; {@code null} fields are unset. */
    public record Resources(Long memoryBytes, Long memorySwapBytes, Long memoryReservationBytes, Long cpuShares,
                            Long cpuQuotaMicros, Long cpuPeriodMicros, String cpusetCpus, String cpusetMems,
                            Long pidsLimit, Integer blkioWeight) {
        public static final Resources NONE = new Resources(null, null, null, null, null, null, null, null, null, null);

        /** compose {@code cpus: 1.5} → quota 150000 per period 100000, as Docker's NanoCPUs. */
        public static Resources ofCpus(double cpus) {
            return new Resources(null, null, null, null, Math.round(cpus * 100_000), 100_000L, null, null, null, null);
        }

        public Resources withMemory(Long bytes) {
            return new Resources(bytes, memorySwapBytes, memoryReservationBytes, cpuShares, cpuQuotaMicros,
                    cpuPeriodMicros, cpusetCpus, cpusetMems, pidsLimit, blkioWeight);
        }

        public Resources withPidsLimit(Long limit) {
            return new Resources(memoryBytes, memorySwapBytes, memoryReservationBytes, cpuShares, cpuQuotaMicros,
                    cpuPeriodMicros, cpusetCpus, cpusetMems, limit, blkioWeight);
        }
    }

    /** One ulimit, e.g. {@code nofile} soft 1024 hard 4096. */
    public record Ulimit(String name, long soft, long hard) {}

    /** json-file options: {@code max-size} in bytes (null = unlimited) and {@code max-file}. */
    public record LogConfig(Long maxSizeBytes, int maxFile) {
        public static final LogConfig DEFAULT = new LogConfig(null, 1);
    }

    /** Engine-managed files bind-mounted over the image's. */
    public record EtcFiles(Path hosts, Path hostname, Path resolvConf) {}
}
