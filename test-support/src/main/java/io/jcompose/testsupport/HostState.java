package io.jcompose.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The host-wide kernel objects jcompose's engines make ({@code docs/conventions.md}), as one
 * snapshot: cheap to take (directory listings, one {@code nft} call), so a test class can be
 * compared with the host before it.
 *
 * @param forwarding the IP forwarding switches ({@link IpForward#read()})
 * @param objects "kind name" of each object: {@code link jc…} (engines' bridges and veths, {@code jc<tag>-…},
 *     {@code jc<tag>v…}, older engines' {@code jc-…}/{@code jcv…}), {@code link veth…},
 *     {@code netns …} (any name under /run/netns), {@code nft table inet jcompose…},
 *     {@code mount <point> (<type>)} of mounts under /tmp, /run or /var/lib/jcompose,
 *     {@code cgroup <hierarchy>/jcompose-<tag>} and {@code cgroup <hierarchy>/jcompose-<tag>/<id>}
 *     (older engines: {@code jcompose})
 */
public record HostState(Map<Path, String> forwarding, Set<String> objects) {
    private static final Path NFT = Path.of("/usr/sbin/nft");

    /**
     * Looks at the host now.
     *
     * @return the snapshot
     * @throws IOException when /proc or /sys cannot be read
     */
    public static HostState now() throws IOException {
        Set<String> objects = new TreeSet<>();
        links(objects);
        names(Path.of("/run/netns"), "netns ", objects);
        nftTables(objects);
        List<Path> hierarchies = mounts(objects);
        for (Path h : hierarchies) {
            // each engine has its own parent, jcompose-<tag> (older engines: jcompose)
            try (Stream<Path> parents = Files.list(h)) {
                for (Path parent : parents.filter(p -> p.getFileName().toString().startsWith("jcompose")).toList()) {
                    objects.add("cgroup " + parent); // an engine removes its parent with its last container
                    names(parent, "cgroup " + parent + "/", objects);
                }
            } catch (IOException e) {
                // a hierarchy that went away meanwhile has nothing of ours
            }
        }
        return new HostState(IpForward.read(), objects);
    }

    /**
     * What is here now and was not in {@code before}.
     *
     * @param before the earlier snapshot
     * @return the new objects, sorted
     */
    public Set<String> newSince(HostState before) {
        Set<String> out = new TreeSet<>(objects);
        out.removeAll(before.objects);
        return out;
    }

    private static void links(Set<String> out) throws IOException {
        try (Stream<Path> all = Files.list(Path.of("/sys/class/net"))) {
            all.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("jc") || n.startsWith("veth"))
                    .forEach(n -> out.add("link " + n));
        }
    }

    private static void names(Path dir, String prefix, Set<String> out) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.list(dir)) {
            all.filter(p -> !prefix.startsWith("cgroup") || Files.isDirectory(p)) // a cgroup's children are directories
                    .forEach(p -> out.add(prefix + p.getFileName()));
        } catch (java.nio.file.NoSuchFileException e) {
            // removed while we looked
        }
    }

    private static void nftTables(Set<String> out) throws IOException {
        if (!Files.isExecutable(NFT)) {
            return;
        }
        Process p = new ProcessBuilder(NFT.toString(), "list", "tables").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        text.lines().map(String::strip)
                .filter(l -> l.matches("table \\S+ jcompose.*"))
                .forEach(l -> out.add("nft " + l));
    }

    /** Adds the mounts an engine makes (where its roots are), and returns the cgroup hierarchies (v1 ones, or the v2 root). */
    private static List<Path> mounts(Set<String> out) throws IOException {
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        List<Path> hierarchies = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String point = halves[0].split(" ")[4];
            String type = halves.length > 1 ? halves[1].split(" ")[0] : "?";
            if (type.equals("cgroup") || v2 && type.equals("cgroup2")) {
                hierarchies.add(Path.of(point));
            } else if (point.startsWith("/tmp/") || point.startsWith("/run/") || point.startsWith("/var/lib/jcompose/")) {
                // engines' roots: test data/run roots are temp dirs, netns files are under /run/netns
                // (not every overlay: a reference dockerd's are Docker's own)
                out.add("mount " + point + " (" + type + ")");
            }
        }
        return hierarchies;
    }
}
