package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What tests of the {@link ContainerEngine} on the real kernel share: a busybox root filesystem
 * for the class (skipped, saying why, without root or busybox-static), and for each test an engine
 * on its own data root and run root, whose containers made through {@link #create} are removed
 * (forcibly) and whose roots are deleted after the test. A subclass's own {@code @AfterEach} runs
 * before that removal, its {@code @BeforeEach} after the engine exists.
 */
public abstract class EngineOnBusybox {
    /** The busybox root filesystem, one per class. */
    protected static Path image;
    /** This test's engine. */
    protected ContainerEngine engine;
    /** This test's data root and run root. */
    protected Path dataRoot, runRoot;
    /** Containers to remove after the test (a removal the test did itself is fine). */
    protected final List<String> created = new ArrayList<>();

    @BeforeAll
    static void buildBusyboxImage() throws Exception {
        Busybox.assumeRootAndBusybox();
        image = Busybox.rootfs(Files.createTempDirectory("jc-image"));
    }

    @AfterAll
    static void deleteBusyboxImage() throws IOException {
        if (image != null) Busybox.delete(image);
        image = null;
    }

    @BeforeEach
    void startBusyboxEngine() throws IOException {
        dataRoot = Files.createTempDirectory("jc-data");
        // short: <runRoot>/<64 hex>/attach.sock must fit a unix socket path
        runRoot = Files.createDirectory(Path.of("/tmp/jcr-" + Long.toHexString(System.nanoTime() & 0xffffffL)));
        engine = new ContainerEngine(dataRoot, runRoot, Busybox.shim());
    }

    @AfterEach
    void removeContainersAndRoots() throws IOException {
        for (String id : created) {
            try {
                engine.remove(id, true);
            } catch (ContainerException.NotFound gone) {
                // removed by the test itself
            }
        }
        Busybox.delete(dataRoot);
        Busybox.delete(runRoot);
    }

    /** A container spec running {@code cmd} on the busybox image. */
    protected ContainerSpec spec(String... cmd) {
        return ContainerSpec.of(List.of(image), List.of(cmd));
    }

    /** Creates a container (not started) that is removed after the test. */
    protected String create(ContainerSpec s) throws IOException {
        String id = engine.create(s);
        created.add(id);
        return id;
    }
}
