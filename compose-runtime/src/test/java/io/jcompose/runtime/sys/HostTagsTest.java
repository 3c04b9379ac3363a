package io.jcompose.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tag claims against a registry in a temp dir (the real one, under /run, in NetworkServiceTest). */
public class HostTagsTest {
    @TempDir
    Path tmp;

    /** Two data roots under {@code tmp} whose paths hash to the same tag (found by trying names: ~1200 for 20 bits). */
    public static Path[] clashingRoots(Path dir) {
        Map<String, Path> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            Path p = dir.resolve("root-" + i);
            Path earlier = seen.putIfAbsent(HostNames.hashed(p, 0).tag(), p);
            if (earlier != null) return new Path[] {earlier, p};
        }
    }

    @Test
    void aFreshDataRootGetsItsHashedTagAndKeepsIt() throws IOException {
        HostTags tags = new HostTags(tmp.resolve("registry"));
        Path root = tmp.resolve("engine");
        HostNames names = tags.claim(root);
        assertThat(names).isEqualTo(HostNames.hashed(root, 0));
        assertThat(Files.readString(root.resolve(HostNames.TAG_FILE)).strip()).isEqualTo(names.tag());
        assertThat(HostNames.forDataRoot(root)).as("everyone naming it from its data root agrees").isEqualTo(names);
        HostTags.Owner owner = tags.owner(names.tag()).orElseThrow();
        assertThat(owner.dataRoot()).isEqualTo(root);
        assertThat(owner.pids()).startsWith(ProcessHandle.current().pid());
        assertThat(tags.claim(root)).as("claiming again changes nothing").isEqualTo(names);
    }

    @Test
    void aClashTakesTheFirstFreeAlternativeAndKeepsItAcrossRestartsAndReboots() throws IOException {
        Path[] roots = clashingRoots(tmp);
        Path a = roots[0], b = roots[1];
        HostTags tags = new HostTags(tmp.resolve("registry"));
        HostNames first = tags.claim(a);
        HostNames second = tags.claim(b);
        assertThat(first.tag()).isEqualTo(HostNames.hashed(b, 0).tag());
        assertThat(second).as("b's hashed tag is a's").isNotEqualTo(first).isEqualTo(HostNames.hashed(b, 1));
        assertThat(HostNames.forDataRoot(b)).isEqualTo(second);
        assertThat(tags.claim(b)).as("restart").isEqualTo(second);
        assertThat(tags.owner(first.tag()).orElseThrow().dataRoot()).isEqualTo(a);
        assertThat(tags.owner(second.tag()).orElseThrow().dataRoot()).isEqualTo(b);

        HostTags afterReboot = new HostTags(tmp.resolve("registry-after-reboot")); // /run starts empty
        assertThat(afterReboot.claim(b)).as("b first this time, still its kept tag").isEqualTo(second);
        assertThat(afterReboot.claim(a)).isEqualTo(first);
    }

    @Test
    void theTagOfARemovedDataRootIsFreeAgain() throws IOException {
        Path[] roots = clashingRoots(tmp);
        HostTags tags = new HostTags(tmp.resolve("registry"));
        HostNames first = tags.claim(roots[0]);
        Files.delete(roots[0].resolve(HostNames.TAG_FILE));
        Files.delete(roots[0]);
        assertThat(tags.claim(roots[1])).as("kept while its claimant (this JVM) lives").isNotEqualTo(first);
        Files.delete(roots[1].resolve(HostNames.TAG_FILE));
        Path registry = tmp.resolve("registry");
        Files.writeString(registry.resolve(first.tag()), roots[0] + "\npids 999999999 999999998\n"); // a claimant long gone
        assertThat(tags.claim(roots[1])).isEqualTo(first);
        assertThat(tags.owners()).containsKey(first.tag()).doesNotContainKey(HostNames.hashed(roots[1], 1).tag());
    }

    @Test
    void aCopiedDataRootIsRefusedWithOneLine() throws IOException {
        HostTags tags = new HostTags(tmp.resolve("registry"));
        Path original = tmp.resolve("original"), copy = tmp.resolve("copy");
        HostNames names = tags.claim(original);
        Files.createDirectories(copy);
        Files.copy(original.resolve(HostNames.TAG_FILE), copy.resolve(HostNames.TAG_FILE));
        assertThatThrownBy(() -> tags.claim(copy)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine tag " + names.tag()).hasMessageContaining("belongs to data root " + original)
                .hasMessageNotContaining("\n");
        Files.writeString(copy.resolve(HostNames.TAG_FILE), "bogus\n");
        assertThatThrownBy(() -> tags.claim(copy)).hasMessageContaining("does not hold an engine tag");
    }
}
