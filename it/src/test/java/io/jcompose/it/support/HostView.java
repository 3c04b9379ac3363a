package io.jcompose.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import io.jcompose.runtime.sys.HostNames;

/**
 * What one private engine has on the host, seen from the host and not through the engine's API:
 * processes (the daemon, shims and container processes), mounts, links, network namespaces, nft
 * rules, cgroups and files in the run root. Other engines run tests on the same host at the same
 * time, so everything is narrowed to this engine's objects: paths under its data and run roots,
 * kernel objects named after the container ids it made, and links, nft table and cgroup parent
 * carrying the engine's tag ({@code docs/conventions.md}).
 *
 * @param processes "pid comm" of processes whose command line names one of our roots, or whose
 *     cgroup is one of our containers'
 * @param mounts mount points under our roots, or netns files of our containers
 * @param links bridges and host veths of our engine ({@code jc<tag>-…}, {@code jc<tag>v…}, see {@link HostNames})
 * @param netns {@code /run/netns/jc-<container id>} of our containers
 * @param nftRules lines of our engine's table {@code inet jcompose-<tag>} naming a bridge or a published port
 * @param cgroups {@code <hierarchy>/jcompose-<tag>/<container id>} of our containers, in every hierarchy
 * @param runFiles files and directories in the engine's run root (relative paths)
 */
public record HostView(
        Set<String> processes,
        Set<String> mounts,
        Set<String> links,
        Set<String> netns,
        Set<String> nftRules,
        Set<String> cgroups,
        Set<String> runFiles) {

    private static final Path CGROUP = Path.of("/sys/fs/cgroup");

    /**
     * Looks at the host now.
     *
     * @param run the private engine ({@link ComposeRun.Engine#JCOMPOSED})
     * @param containerIds every container id the engine made in this test
     * @param ports host ports the project published
     * @return what is there
     * @throws IOException when /proc or /sys cannot be read
     * @throws InterruptedException when interrupted while running {@code ip} or {@code nft}
     */
    public static HostView of(ComposeRun run, Collection<String> containerIds, Collection<Integer> ports)
            throws IOException, InterruptedException {
        List<String> roots = List.of(run.dataRoot().toString(), run.runRoot().toString());
        HostNames names = names(run);
        return new HostView(processes(roots, names, containerIds), mounts(roots, containerIds), links(names),
                netns(containerIds), nftRules(names, ports), cgroups(names, containerIds), runFiles(run.runRoot()));
    }

    /** The kernel object names of the private engine (from its data root, as the engine derives them). */
    public static HostNames names(ComposeRun run) {
        return HostNames.forDataRoot(run.dataRoot());
    }

    /**
     * The engine's cgroup parent {@code jcompose-<tag>/} where it exists without any child cgroup
     * (the engine removes it with its last container).
     *
     * @return hierarchies where the parent exists without any child cgroup
     * @throws IOException when the cgroup file system cannot be read
     */
    public static Set<String> emptyCgroupParents(ComposeRun run) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path h : hierarchies()) {
            Path parent = h.resolve(names(run).cgroupParent());
            if (Files.isDirectory(parent)) {
                try (Stream<Path> kids = Files.list(parent)) {
                    if (kids.noneMatch(Files::isDirectory)) {
                        out.add(parent.toString());
                    }
                }
            }
        }
        return out;
    }

    /** Every cgroup hierarchy's mount point: each v1 hierarchy of a hybrid host, or the unified v2 one. */
    public static List<Path> hierarchies() throws IOException {
        boolean v2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String type = halves[1].split(" ")[0];
            if (type.equals("cgroup") || v2 && type.equals("cgroup2")) {
                out.add(Path.of(halves[0].split(" ")[4]));
            }
        }
        return out;
    }

    private static Set<String> processes(List<String> roots, HostNames names, Collection<String> containerIds) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String cgroup = Files.readString(p.resolve("cgroup"));
                    boolean ours = roots.stream().anyMatch(cmdline::contains)
                            || containerIds.stream().anyMatch(id -> cgroup.contains("/" + names.cgroupParent() + "/" + id));
                    if (ours) {
                        out.add(p.getFileName() + " " + Files.readString(p.resolve("comm")).strip());
                    }
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        }
        return out;
    }

    private static Set<String> mounts(List<String> roots, Collection<String> containerIds) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (roots.stream().anyMatch(r -> mountPoint.startsWith(r + "/") || mountPoint.equals(r))
                    || containerIds.stream().anyMatch(id -> mountPoint.equals("/run/netns/jc-" + id))) {
                out.add(mountPoint);
            }
        }
        return out;
    }

    private static Set<String> links(HostNames names) throws IOException, InterruptedException {
        Set<String> out = new TreeSet<>();
        for (String line : ComposeRun.run("ip", "-o", "link", "show").lines().toList()) {
            String[] f = line.split(": ", 3);
            if (f.length > 1) {
                String name = f[1].replaceFirst("@.*", "");
                if (names.ownsLink(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static Set<String> netns(Collection<String> containerIds) {
        Set<String> out = new TreeSet<>();
        for (String id : containerIds) {
            if (Files.exists(Path.of("/run/netns/jc-" + id))) {
                out.add("jc-" + id);
            }
        }
        return out;
    }

    private static Set<String> nftRules(HostNames names, Collection<Integer> ports) throws IOException, InterruptedException {
        Set<String> out = new TreeSet<>();
        String table = ComposeRun.run("nft", "list", "table", "inet", names.nftTable()); // the whole table is ours
        for (String line : table.lines().map(String::strip).toList()) {
            boolean ours = line.contains(names.bridgePrefix())
                    || ports.stream().anyMatch(p -> line.matches(".*dport " + p + "\\b.*"));
            if (ours) {
                out.add(line);
            }
        }
        return out;
    }

    private static Set<String> cgroups(HostNames names, Collection<String> containerIds) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path h : hierarchies()) {
            for (String id : containerIds) {
                Path dir = h.resolve(names.cgroupParent()).resolve(id);
                if (Files.exists(dir)) {
                    out.add(dir.toString());
                }
            }
        }
        return out;
    }

    private static Set<String> runFiles(Path runRoot) throws IOException {
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(runRoot)) {
            try (Stream<Path> all = Files.walk(runRoot)) {
                all.filter(p -> !p.equals(runRoot)).forEach(p -> out.add(runRoot.relativize(p).toString()));
            }
        }
        return out;
    }
}
