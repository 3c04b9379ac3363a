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
        EtcFiles etcFiles) {

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

    /** A spec with Docker's defaults everywhere, running {@code command} on the given layers. */
    public static ContainerSpec of(List<Path> lowerDirs, List<String> command) {
        return new ContainerSpec(lowerDirs, null, null, command, null, null, null, null, false, false, false,
                null, null, null, null, null, null, null, null, null, false, false, false, null, null, null,
                false, null, null, null, 0, null);
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
