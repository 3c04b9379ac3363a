package io.jcompose.runtime.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Docker's default isolation settings (RUNTIME-FACTS §1, §2), in one place. */
public final class DockerDefaults {
    private DockerDefaults() {}

    /** The 14 capabilities a non-privileged container gets (CapEff 00000000a80425fb for root). */
    public static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability the kernel may know, in bit order (privileged and {@code cap_add: ALL}). */
    public static final List<String> ALL_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** Masked paths without the per-CPU thermal_throttle entries (see {@link #maskedPaths()}). */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** Docker's default /dev/shm size: 64 MiB. */
    public static final long SHM_SIZE = 64L * 1024 * 1024;

    /** Sysctls Docker sets when the container has its own network namespace. */
    public static final Map<String, String> NETNS_SYSCTLS = Map.of(
            "net.ipv4.ip_unprivileged_port_start", "0",
            "net.ipv4.ping_group_range", "0 2147483647");

    /** Default stop timeout in seconds (daemon {@code default-stop-timeout}). */
    public static final int STOP_TIMEOUT_SECONDS = 10;

    /** Masked paths plus /sys/devices/system/cpu/cpuN/thermal_throttle for each CPU of this host. */
    public static List<String> maskedPaths() {
        List<String> out = new ArrayList<>(MASKED_PATHS);
        Path cpus = Path.of("/sys/devices/system/cpu");
        if (Files.isDirectory(cpus)) {
            try (Stream<Path> s = Files.list(cpus)) {
                s.filter(p -> p.getFileName().toString().matches("cpu[0-9]+"))
                        .map(p -> p.resolve("thermal_throttle"))
                        .filter(Files::isDirectory)
                        .map(Path::toString)
                        .sorted()
                        .forEach(out::add);
            } catch (java.io.IOException ignored) {
                // no sysfs: nothing more to mask
            }
        }
        return List.copyOf(out);
    }
}
