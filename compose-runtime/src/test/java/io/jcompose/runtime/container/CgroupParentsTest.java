package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hierarchies hold our parent cgroup, and that it goes only when no container is left under it (temp trees for v1 and v2). */
class CgroupParentsTest {

    static final String HYBRID = """
            24 31 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            33 24 0:29 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            34 33 0:30 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
            35 33 0:31 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
            38 33 0:34 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct
            39 33 0:35 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,memory
            """;
    static final String UNIFIED = """
            24 31 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            33 24 0:29 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    @Test
    void rootsAreEveryMountOnAHybridLayoutAndTheOneTreeOnV2() {
        assertThat(CgroupParents.roots(HYBRID)).containsExactly(Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup/systemd"),
                Path.of("/sys/fs/cgroup/cpu,cpuacct"),
                Path.of("/sys/fs/cgroup/memory"));
        assertThat(CgroupParents.roots(UNIFIED)).containsExactly(Path.of("/sys/fs/cgroup"));
        assertThat(CgroupParents.roots("")).isEmpty();
    }

    /** This engine's parent, and another engine's. */
    static final String P = "jcompose-1a2b3", OTHER = "jcompose-4c5d6";

    @Test
    void v1TheParentGoesWhereNoContainerIsLeft(@TempDir Path tmp) throws Exception {
        Path cpu = tmp.resolve("cpu,cpuacct"), memory = tmp.resolve("memory"), pids = tmp.resolve("pids");
        Files.createDirectories(cpu.resolve(P));
        Files.createDirectories(memory.resolve(P + "/" + "a".repeat(64)));
        Files.createDirectories(pids);
        Files.writeString(Files.createDirectories(tmp.resolve("systemd/" + P)).resolve("notify_on_release"), "0"); // a control file, no child
        Files.createDirectories(cpu.resolve(OTHER)); // another engine's parent, empty: not ours to remove
        CgroupParents parents = new CgroupParents(List.of(cpu, memory, pids, tmp.resolve("systemd")), P);
        assertThat(parents.removeIfEmpty()).containsExactly(cpu.resolve(P));
        assertThat(memory.resolve(P)).as("a container is left").isDirectory();
        Files.delete(memory.resolve(P + "/" + "a".repeat(64)));
        assertThat(parents.removeIfEmpty()).containsExactly(memory.resolve(P));
        assertThat(parents.removeIfEmpty()).as("nothing left, nothing to do").isEmpty();
        assertThat(cpu.resolve(OTHER)).isDirectory();
        // on cgroupfs control files do not keep a directory; on a plain file system they do, and it stays: no error
        assertThat(tmp.resolve("systemd/" + P)).isDirectory();
    }

    @Test
    void v2TheOneParentGoesWithItsLastContainer(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("sys/fs/cgroup");
        Path a = Files.createDirectories(root.resolve(P + "/" + "a".repeat(64)));
        Path b = Files.createDirectories(root.resolve(P + "/" + "b".repeat(64)));
        CgroupParents parents = new CgroupParents(List.of(root), P);
        Files.delete(a);
        assertThat(parents.removeIfEmpty()).isEmpty();
        Files.delete(b);
        assertThat(parents.removeIfEmpty()).containsExactly(root.resolve(P));
        assertThat(root).isDirectory();
    }
}
