package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.container.UserResolver.ResolvedUser;
import io.jcompose.runtime.container.oci.OciSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shim's {@code delete} removes the cgroup parent ({@code jcompose/} in the engine's bundles)
 * together with its last container, in every hierarchy, and leaves it while another container
 * still has its cgroup there. The test uses a parent of its own so that containers of other
 * engines on the host (which share {@code jcompose/}) cannot change what it sees.
 */
@Tag("root")
class CgroupParentTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final boolean V2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));

    private Path tmp;
    private Path rootfs;
    private Path shim;
    private final String parent = "jcompose-parent-test-" + ContainerIds.newId().substring(0, 8);
    private final List<String[]> started = new ArrayList<>(); // {bundle, state}

    @BeforeEach
    void setUp() throws Exception {
        Busybox.assumeRootAndBusybox();
        shim = Busybox.shim();
        tmp = Files.createTempDirectory("jc-cgparent");
        rootfs = Busybox.rootfs(tmp.resolve("rootfs"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String[] s : started) {
            delete(s[0], s[1]); // idempotent: a second delete of a gone container is harmless
        }
        for (Path h : hierarchies()) {
            Path p = h.resolve(parent);
            if (Files.isDirectory(p)) {
                try (Stream<Path> kids = Files.list(p)) {
                    kids.filter(Files::isDirectory).forEach(k -> k.toFile().delete());
                }
                p.toFile().delete();
            }
        }
        if (tmp != null) Busybox.delete(tmp);
    }

    @Test
    void theParentGoesWithItsLastContainerInEveryHierarchy() throws Exception {
        String a = start();
        String b = start();
        List<Path> hierarchies = hierarchies();
        assertThat(hierarchies).isNotEmpty();
        for (Path h : hierarchies) {
            assertThat(h.resolve(parent).resolve(a)).as("cgroup of a in " + h).isDirectory();
        }

        delete(started.get(0)[0], started.get(0)[1]);
        for (Path h : hierarchies) {
            assertThat(h.resolve(parent).resolve(a)).as("cgroup of a in " + h).doesNotExist();
            assertThat(h.resolve(parent)).as("parent still holds b in " + h).isDirectory();
        }

        delete(started.get(1)[0], started.get(1)[1]);
        for (Path h : hierarchies) {
            assertThat(h.resolve(parent)).as("empty parent in " + h).doesNotExist();
        }
        assertThat(b).isNotEqualTo(a);
    }

    /** Starts {@code sleep 60} under the shim with cgroupsPath {@code /<parent>/<id>}; returns the id. */
    private String start() throws Exception {
        String id = ContainerIds.newId();
        ContainerSpec spec = ContainerSpec.builder(List.of(rootfs)).command(List.of("sleep", "60")).hostname("cg").build();
        OciSpec oci = new BundleWriter(V2).build(id, spec, rootfs, new ResolvedUser(0, 0, List.of()), List.of("sleep", "60"));
        Path bundle = tmp.resolve("bundle-" + id);
        BundleWriter.write(bundle, oci);
        ObjectNode root = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        ((ObjectNode) root.get("linux")).put("cgroupsPath", "/" + parent + "/" + id);
        JSON.writeValue(bundle.resolve("config.json").toFile(), root);
        Path state = tmp.resolve("state-" + id);
        started.add(new String[] {bundle.toString(), state.toString()});
        Process p = new ProcessBuilder(shim.toString(), "run", "--bundle", bundle.toString(), "--state", state.toString(),
                "--log", tmp.resolve(id + ".log").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("shim run: " + out).isZero();
        return id;
    }

    private void delete(String bundle, String state) throws Exception {
        Process p = new ProcessBuilder(shim.toString(), "delete", "--bundle", bundle, "--state", state).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("shim delete: " + out).isZero();
    }

    /** Every cgroup hierarchy's mount point (v1: one per controller set; v2: the unified one). */
    private static List<Path> hierarchies() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String type = halves[1].split(" ")[0];
            if (type.equals("cgroup") || type.equals("cgroup2") && V2) {
                out.add(Path.of(halves[0].split(" ")[4]));
            }
        }
        return out;
    }
}
