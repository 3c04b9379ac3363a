package io.jcompose.runtime.container;

import io.jcompose.runtime.sys.Libc;
import io.jcompose.runtime.sys.SyscallException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Removes one container's cgroups in every hierarchy from inside the daemon: what
 * {@code jcompose-shim delete} does (cgroup.c, {@code cgroups_destroy}), without a process per
 * removal. A {@code down} of 50 containers forked and exec'd 50 shims only to read a few cgroup
 * files and {@code rmdir} a few directories; here it is a handful of file operations.
 *
 * <p>Whatever is still in the cgroup (processes that outlived a dead monitor, a fork bomb's
 * children) gets SIGKILL; a frozen cgroup is thawed first so the kill is delivered (on v1 a
 * frozen task does not even die of SIGKILL); then each directory is removed, retrying while the
 * kernel finishes the exits ({@code rmdir} says EBUSY until the last task is gone).
 */
final class ContainerCgroups {
    /** As the shim: 200 tries 10 ms apart. */
    private static final int RMDIR_TRIES = 200;
    private static final long RMDIR_PAUSE_MS = 10;

    private ContainerCgroups() {}

    /**
     * Kills what is left in the container's cgroups and removes them.
     *
     * @param roots       the hierarchy roots ({@link CgroupParents#roots()}); where the container
     *                    has no directory nothing is done
     * @param cgroupsPath the bundle's {@code linux.cgroupsPath} ({@code /<parent>/<id>})
     * @throws IOException when a directory is still there after the retries
     */
    static void destroy(List<Path> roots, String cgroupsPath) throws IOException {
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        if (rel.isEmpty() || rel.contains("..")) throw new IllegalArgumentException("bad cgroup path " + cgroupsPath);
        List<Path> dirs = roots.stream().map(r -> r.resolve(rel)).filter(Files::isDirectory).toList();
        for (Path d : dirs) thaw(d);
        for (Path d : dirs) killAll(d);
        for (Path d : dirs) remove(d);
    }

    /** v1: freezer.state THAWED; v2: cgroup.freeze 0 (only where the file exists: the freezer hierarchy, or v2). */
    private static void thaw(Path dir) {
        write(dir.resolve("freezer.state"), "THAWED");
        write(dir.resolve("cgroup.freeze"), "0");
    }

    private static void write(Path f, String value) {
        if (!Files.exists(f)) return;
        try {
            Files.writeString(f, value);
        } catch (IOException e) {
            // a frozen cgroup that cannot be thawed keeps its tasks: rmdir then says why
        }
    }

    /** SIGKILL to every process listed in the cgroup; returns how many there were. */
    private static int killAll(Path dir) {
        List<String> pids;
        try {
            pids = Files.readAllLines(dir.resolve("cgroup.procs"));
        } catch (IOException e) {
            return 0;
        }
        int n = 0;
        for (String line : pids) {
            if (line.isBlank()) continue;
            n++;
            try {
                Libc.kill(Integer.parseInt(line.strip()), Signals.SIGKILL);
            } catch (SyscallException e) {
                // ESRCH: exited meanwhile
            }
        }
        return n;
    }

    private static void remove(Path dir) throws IOException {
        for (int i = 0; ; i++) {
            try {
                Files.delete(dir); // rmdir(2): cgroupfs directories hold only virtual files
                return;
            } catch (NoSuchFileException gone) {
                return;
            } catch (FileSystemException e) {
                if (i >= RMDIR_TRIES || !isBusy(e)) throw new IOException("remove cgroup " + dir + ": " + e.getMessage(), e);
            }
            killAll(dir); // a task forked between the kill and now
            try {
                TimeUnit.MILLISECONDS.sleep(RMDIR_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing cgroup " + dir, e);
            }
        }
    }

    private static boolean isBusy(FileSystemException e) {
        return e.getReason() != null && e.getReason().contains("busy"); // strerror(EBUSY): "Device or resource busy"
    }
}
