package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.model.ContainerStats;
import io.jcompose.runtime.api.model.ContainerTop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code docker stats} and {@code docker top} from the container's cgroups
 * ({@code <parent>/<id>} in each v1 hierarchy, or {@code /sys/fs/cgroup/<parent>/<id>} on v2, the
 * parent being the engine's {@code jcompose-<tag>}) and
 * its network namespace's {@code /proc/<pid>/net/dev}.
 */
final class CgroupStats {

    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final boolean V2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
    private final Map<String, ContainerStats.CpuStats> previous = new ConcurrentHashMap<>();
    private final java.util.function.UnaryOperator<String> parentOf;

    /** @param parentOf a container's cgroup parent ({@link io.jcompose.runtime.container.ContainerEngine#cgroupParentOf}) */
    CgroupStats(java.util.function.UnaryOperator<String> parentOf) {
        this.parentOf = parentOf;
    }

    private Path dir(String controller, String id) {
        String parent = parentOf.apply(id);
        return V2 ? CGROUP.resolve(parent).resolve(id) : CGROUP.resolve(controller).resolve(parent).resolve(id);
    }

    private static long readLong(Path p, long dflt) {
        try {
            String s = Files.readString(p).strip();
            return s.equals("max") ? dflt : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return dflt;
        }
    }

    private static Map<String, Long> keyed(Path p) {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2) {
                    out.put(f[0], Long.parseLong(f[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not there (not running)
        }
        return out;
    }

    /** Host pids of every process in the container's cgroup. */
    Set<Long> pids(String id) {
        Set<Long> out = new TreeSet<>();
        try {
            for (String l : Files.readAllLines(dir("pids", id).resolve("cgroup.procs"))) {
                if (!l.isBlank()) {
                    out.add(Long.parseLong(l.strip()));
                }
            }
        } catch (IOException e) {
            // not running
        }
        return out;
    }

    ContainerStats sample(String id, String name, long pid) {
        long cpuTotal;
        long user;
        long kernel;
        long memUsage;
        long memLimit;
        Map<String, Long> memStats;
        if (V2) {
            Map<String, Long> cpu = keyed(dir("cpu", id).resolve("cpu.stat"));
            cpuTotal = cpu.getOrDefault("usage_usec", 0L) * 1000;
            user = cpu.getOrDefault("user_usec", 0L) * 1000;
            kernel = cpu.getOrDefault("system_usec", 0L) * 1000;
            memUsage = readLong(dir("memory", id).resolve("memory.current"), 0);
            memLimit = readLong(dir("memory", id).resolve("memory.max"), hostMemory());
            memStats = keyed(dir("memory", id).resolve("memory.stat"));
        } else {
            cpuTotal = readLong(dir("cpuacct", id).resolve("cpuacct.usage"), 0);
            Map<String, Long> st = keyed(dir("cpuacct", id).resolve("cpuacct.stat"));
            user = st.getOrDefault("user", 0L) * 10_000_000L;
            kernel = st.getOrDefault("system", 0L) * 10_000_000L;
            memUsage = readLong(dir("memory", id).resolve("memory.usage_in_bytes"), 0);
            memLimit = Math.min(readLong(dir("memory", id).resolve("memory.limit_in_bytes"), Long.MAX_VALUE), hostMemory());
            memStats = keyed(dir("memory", id).resolve("memory.stat"));
        }
        ContainerStats.CpuStats cpu = new ContainerStats.CpuStats(new ContainerStats.CpuUsage(cpuTotal, kernel, user), systemCpu(),
                Runtime.getRuntime().availableProcessors());
        ContainerStats.CpuStats pre = previous.put(id, cpu);
        long pidsCurrent = readLong(dir("pids", id).resolve(V2 ? "pids.current" : "pids.current"), pids(id).size());
        long pidsMax = readLong(dir("pids", id).resolve("pids.max"), 0);
        return new ContainerStats(ContainerViews.rfc3339Nano(Instant.now()), pre == null ? "0001-01-01T00:00:00Z" : ContainerViews.rfc3339Nano(Instant.now().minusSeconds(1)), id, "/" + name,
                new ContainerStats.PidsStats(pidsCurrent, pidsMax == 0 ? null : pidsMax), cpu,
                pre == null ? new ContainerStats.CpuStats(new ContainerStats.CpuUsage(0, 0, 0), 0, cpu.onlineCpus()) : pre,
                new ContainerStats.MemoryStats(memUsage, memLimit, memStats), new ContainerStats.BlkioStats(List.of()), networks(pid));
    }

    boolean hasPrevious(String id) {
        return previous.containsKey(id);
    }

    void forget(String id) {
        previous.remove(id);
    }

    /** Nanoseconds of host CPU time, as Docker's system_cpu_usage (from /proc/stat, in USER_HZ = 100). */
    private static long systemCpu() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            long sum = 0;
            String[] f = first.trim().split("\\s+");
            for (int i = 1; i < f.length && i <= 8; i++) {
                sum += Long.parseLong(f[i]);
            }
            return sum * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long hostMemory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 0;
    }

    private static Map<String, ContainerStats.NetworkStats> networks(long pid) {
        Map<String, ContainerStats.NetworkStats> out = new LinkedHashMap<>();
        if (pid <= 0) {
            return out;
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/net/dev"))) {
                int colon = l.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String ifname = l.substring(0, colon).strip();
                if (ifname.equals("lo")) {
                    continue;
                }
                String[] f = l.substring(colon + 1).trim().split("\\s+");
                out.put(ifname, new ContainerStats.NetworkStats(Long.parseLong(f[0]), Long.parseLong(f[8]), Long.parseLong(f[1]),
                        Long.parseLong(f[9])));
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return out;
    }

    /** {@code docker top}: the host's {@code ps} (default {@code -ef}) limited to the container's processes. */
    ContainerTop top(String id, String psArgs) throws IOException, InterruptedException {
        Set<Long> pids = pids(id);
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(List.of((psArgs == null || psArgs.isBlank() ? "-ef" : psArgs).trim().split("\\s+")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0 || lines.isEmpty()) {
            throw new IOException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: " + String.join("\n", lines));
        }
        List<String> titles = List.of(lines.getFirst().trim().split("\\s+"));
        int pidCol = titles.indexOf("PID");
        if (pidCol < 0) {
            throw new IOException("Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+", titles.size());
            if (f.length > pidCol && pids.contains(Long.parseLong(f[pidCol]))) {
                rows.add(List.of(f));
            }
        }
        return new ContainerTop(titles, rows);
    }
}
