package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine's parent cgroup, {@code jcompose-<tag>/} (one per engine, see
 * {@link io.jcompose.runtime.sys.HostNames#cgroupParent()}), in every hierarchy (each v1 controller mount, or
 * the one v2 tree): {@link #removeIfEmpty} removes it once no container's cgroup is left under it,
 * so an idle host keeps no cgroup of ours. A container created at the same moment is safe: the
 * kernel refuses to remove a cgroup that has a child, and the shim makes its directories again
 * when the parent vanished under it (cgroup.c, {@code make_dirs}).
 */
public final class CgroupParents {

    /**
     * The parent every engine shared before per-engine parents ({@code /jcompose/<id>}). Containers
     * that kept running across an upgrade stay in it (their bundle names it, so the shim removes
     * their cgroups); an engine removes it at start once it is empty.
     */
    public static final String LEGACY_NAME = "jcompose";

    private final List<Path> roots;
    private final String name;

    /**
     * @param roots the hierarchy roots (v1: one per controller mount; v2: {@code /sys/fs/cgroup})
     * @param name the parent's name under each root ({@code linux.cgroupsPath} is {@code /<name>/<id>})
     */
    public CgroupParents(List<Path> roots, String name) {
        this.roots = List.copyOf(roots);
        this.name = name;
    }

    /** For this host's cgroup mounts. */
    public static CgroupParents forHost(String name) {
        try {
            return new CgroupParents(roots(Files.readString(Path.of("/proc/self/mountinfo"))), name);
        } catch (IOException e) {
            return new CgroupParents(List.of(), name);
        }
    }

    /** The parent's name under each root. */
    public String name() {
        return name;
    }

    /**
     * The hierarchy roots in a mountinfo text: the unified tree when cgroup2 is mounted at
     * {@code /sys/fs/cgroup} (v2), else every cgroup mount, v1 and the hybrid layout's v2 tree (the
     * shim does not use that one, runc as the test oracle does).
     */
    static List<Path> roots(String mountinfo) {
        List<Path> v1 = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int sep = line.indexOf(" - ");
            if (sep < 0) continue;
            String[] f = line.substring(0, sep).split(" ");
            String[] after = line.substring(sep + 3).split(" ");
            if (f.length < 5 || after.length < 1) continue;
            String mountPoint = f[4];
            if (after[0].equals("cgroup2") && mountPoint.equals("/sys/fs/cgroup")) return List.of(Path.of(mountPoint));
            if (after[0].equals("cgroup") || after[0].equals("cgroup2")) v1.add(Path.of(mountPoint));
        }
        return v1;
    }

    /** The roots this instance looks at. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * Removes the parent from every hierarchy where no container's cgroup is left under it;
     * one still in use (or just taken by a concurrent create) stays.
     *
     * @return the directories it removed
     */
    public List<Path> removeIfEmpty() {
        List<Path> removed = new ArrayList<>();
        for (Path root : roots) {
            Path parent = root.resolve(name);
            if (!Files.isDirectory(parent) || hasChild(parent)) continue;
            try {
                Files.delete(parent); // rmdir: cgroupfs refuses (EBUSY) if a child appeared meanwhile
                removed.add(parent);
            } catch (FileSystemException gone) {
                // removed by someone else, or in use again: both fine
            } catch (IOException e) {
                // nothing to do about it here; the next removal tries again
            }
        }
        return removed;
    }

    private static boolean hasChild(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }
}
