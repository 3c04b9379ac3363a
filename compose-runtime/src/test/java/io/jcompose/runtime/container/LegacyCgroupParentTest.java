package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The older engines' shared cgroup parent {@code jcompose}: a container that kept running across
 * the upgrade keeps its {@code /jcompose/<id>} (found there for pause state and stats), and an
 * engine opening removes the parent once nothing is under it. Real cgroups, made here.
 */
@Tag("root")
class LegacyCgroupParentTest {
    @TempDir
    Path tmp;

    final List<Path> made = new ArrayList<>();

    /** Short: the shim's unix sockets live below it. */
    final Path runRoot = Path.of("/tmp/jclg-" + Long.toHexString(System.nanoTime() & 0xffffffL));

    @AfterEach
    void removeWhatWasMade() throws Exception {
        for (int i = made.size() - 1; i >= 0; i--) Files.deleteIfExists(made.get(i)); // children first
        Files.deleteIfExists(runRoot);
    }

    @Test
    void aContainerFromBeforeIsFoundUnderTheOldParentWhichGoesOnceEmpty() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (cgroups)");
        CgroupParents legacy = CgroupParents.forHost(CgroupParents.LEGACY_NAME);
        Assumptions.assumeFalse(legacy.roots().isEmpty(), "no cgroup hierarchy mounted");
        Assumptions.assumeTrue(legacy.roots().stream().noneMatch(r -> Files.exists(r.resolve(CgroupParents.LEGACY_NAME))),
                "an engine from before per-engine cgroup parents uses /jcompose here");
        String id = ContainerIds.newId();
        for (Path r : legacy.roots()) {
            made.add(Files.createDirectory(r.resolve(CgroupParents.LEGACY_NAME)));
            made.add(Files.createDirectory(r.resolve(CgroupParents.LEGACY_NAME).resolve(id)));
        }

        ContainerEngine engine = new ContainerEngine(tmp.resolve("root"), runRoot, Busybox.shim());
        assertThat(legacy.roots()).allSatisfy(r -> assertThat(r.resolve(CgroupParents.LEGACY_NAME)).as("still used").isDirectory());
        assertThat(engine.cgroupParentOf(id)).isEqualTo(CgroupParents.LEGACY_NAME);
        assertThat(engine.cgroupParentOf(ContainerIds.newId())).isEqualTo(engine.cgroupParent()).startsWith("jcompose-");

        for (Path r : legacy.roots()) Files.delete(r.resolve(CgroupParents.LEGACY_NAME).resolve(id)); // the old container was removed
        new ContainerEngine(tmp.resolve("root"), runRoot, Busybox.shim());
        assertThat(legacy.roots()).allSatisfy(r -> assertThat(r.resolve(CgroupParents.LEGACY_NAME)).as("empty: removed at open").doesNotExist());
    }
}
