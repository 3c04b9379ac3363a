package io.jcompose.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnEnginesTest {
    @TempDir
    Path registry;

    @Test
    void recordsNamingThisProcessChainAreOursAndTheirTagsNameTheirObjects() throws Exception {
        Files.writeString(registry.resolve("1a2b3"), "/tmp/jc-ours/root\npids 4242 100 1\n");
        Files.writeString(registry.resolve("1a2b4"), "/tmp/jc-theirs/root\npids 5151 200\n");
        Files.writeString(registry.resolve(".lock"), "");
        OwnEngines own = OwnEngines.read(registry, 100);
        assertThat(own.dataRoots()).containsOnlyKeys("1a2b3");
        assertThat(own.owns("link jc1a2b3-3eff464")).isTrue();
        assertThat(own.owns("link jc1a2b3v0123456")).isTrue();
        assertThat(own.owns("nft table inet jcompose-1a2b3")).isTrue();
        assertThat(own.owns("cgroup /sys/fs/cgroup/cpu/jcompose-1a2b3")).isTrue();
        assertThat(own.owns("cgroup /sys/fs/cgroup/cpu/jcompose-1a2b3/" + "ab".repeat(32))).isTrue();
        assertThat(own.owns("mount /tmp/jc-ours/root/containers/x/rootfs (overlay)")).isTrue();
        assertThat(own.owns("link jc1a2b4-3eff464")).as("another run's engine").isFalse();
        assertThat(own.owns("nft table inet jcompose-1a2b4")).isFalse();
        assertThat(own.owns("mount /tmp/jc-theirs/root/containers/x/rootfs (overlay)")).isFalse();
        assertThat(own.owns("netns jc-" + "ab".repeat(32))).as("no owner in the name").isFalse();
        Path ours = registry.resolve("ours");
        Files.writeString(registry.resolve("1a2b5"), ours + "\npids 100\n");
        Files.createDirectories(ours.resolve("containers").resolve("cd".repeat(32)));
        OwnEngines withContainer = OwnEngines.read(registry, 100);
        assertThat(withContainer.owns("netns jc-" + "cd".repeat(32))).as("a container of our data root").isTrue();
        assertThat(withContainer.owns("mount /run/netns/jc-" + "cd".repeat(32) + " (nsfs)")).isTrue();
        assertThat(withContainer.owns("netns jc-" + "ab".repeat(32))).isFalse();
        assertThat(own.owns("link jc-3eff464b0000")).as("older engines' names").isFalse();
        assertThat(own.owns("nft table inet jcompose")).isFalse();
        assertThat(OwnEngines.read(registry.resolve("none"), 100).dataRoots()).isEmpty();
    }
}
