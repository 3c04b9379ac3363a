package io.jcompose.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same API calls against jcomposed and against Debian's dockerd (started here, never with
 * defaults: own socket, data and exec roots, no bridge, no iptables), asserting the same
 * observable answers: status codes, error texts and key fields.
 */
@Tag("root")
class CrossOracleTest {

    static final Path DOCKERD = Path.of("/usr/sbin/dockerd");

    static Path dir;
    static Process dockerd;
    static Jcomposed jcomposed;
    static EngineClient ours;
    static EngineClient docker;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKERD), "no reference dockerd at " + DOCKERD + " (apt-get install docker.io)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "starting a reference dockerd needs root");
        dir = Files.createTempDirectory(Path.of("/tmp"), "jco-"); // short: containerd's socket paths are length-limited
        jcomposed = Jcomposed.start(DaemonConfig.defaults().withDataRoot(dir.resolve("jc")).withHosts(List.of("unix://" + dir.resolve("jc.sock"))));
        // Its identity key goes into the temp dir: by default dockerd writes /etc/docker/key.json.
        Files.writeString(dir.resolve("daemon.json"), "{\"deprecated-key-path\": \"" + dir.resolve("key.json") + "\"}\n");
        dockerd = new ProcessBuilder(DOCKERD.toString(), "--config-file", dir.resolve("daemon.json").toString(),
                "--host", "unix://" + dir.resolve("d.sock"), "--pidfile", dir.resolve("d.pid").toString(),
                "--data-root", dir.resolve("d-data").toString(), "--exec-root", dir.resolve("d-exec").toString(), "--iptables=false",
                "--ip6tables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none", "--dns", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        EngineClient negotiating = new EngineClient(new DockerHost.Unix(dir.resolve("d.sock")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!negotiating.ping()) {
            if (!dockerd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("reference dockerd did not start: " + Files.readString(dir.resolve("dockerd.log")));
            }
            Thread.sleep(100);
        }
        // both spoken to at the reference's API version (Debian 12's dockerd stops at 1.41), so
        // version-dependent behaviour (e.g. prune before 1.42) is compared like for like
        docker = negotiating;
        ours = new EngineClient(new DockerHost.Unix(dir.resolve("jc.sock")), docker.apiVersion());
    }

    @AfterAll
    static void stop() throws Exception {
        if (jcomposed != null) {
            jcomposed.close();
        }
        if (dockerd != null) {
            dockerd.destroy(); // SIGTERM: dockerd stops its own containerd
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Both daemons, as (name, client) pairs. */
    static Map<String, EngineClient> both() {
        return Map.of("jcomposed", ours, "dockerd", docker);
    }

    static <T> void same(Function<EngineClient, T> call) {
        assertThat(call.apply(ours)).as("jcomposed vs dockerd").isEqualTo(call.apply(docker));
    }

    static int status(Runnable call) {
        EngineApiException e = catchThrowableOfType(EngineApiException.class, call::run);
        return e == null ? 200 : e.status();
    }

    @Test
    void systemEndpointsAgreeOnWhatClientsRead() {
        same(c -> c.ping());
        same(c -> c.version().os());
        same(c -> c.version().arch());
        same(c -> c.info().osType());
        same(c -> c.info().swarm().localNodeState());
        same(c -> c.info().ncpu());
        same(c -> c.info().memTotal());
    }

    @Test
    void volumeLifecycleAnswersTheSame() {
        for (EngineClient c : both().values()) {
            Volume v = c.createVolume(new VolumeCreateRequest("xo_data", null, null, Map.of("com.docker.compose.project", "xo")));
            assertThat(v.name()).isEqualTo("xo_data");
            assertThat(v.mountpoint()).endsWith("/volumes/xo_data/_data");
            c.createVolume(new VolumeCreateRequest("xo_other", "local", null, null));
        }
        same(c -> c.createVolume(new VolumeCreateRequest("xo_data", null, null, null)).labels()); // idempotent, labels kept
        same(c -> c.inspectVolume("xo_data").driver());
        same(c -> c.inspectVolume("xo_data").scope());
        same(c -> c.inspectVolume("xo_data").labels());
        same(c -> c.listVolumes(Filters.of("label", "com.docker.compose.project=xo")).stream().map(Volume::name).toList());
        same(c -> c.listVolumes(Filters.of("label", "com.docker.compose.project")).stream().map(Volume::name).toList());
        same(c -> c.listVolumes(Filters.of("name", "xo_")).stream().map(Volume::name).sorted().toList());
        same(c -> c.listVolumes(Filters.of("dangling", "true")).stream().map(Volume::name).sorted().toList());
        same(c -> status(() -> c.inspectVolume("xo_missing")));
        same(c -> catchThrowableOfType(EngineApiException.class, () -> c.inspectVolume("xo_missing")).getMessage());
        same(c -> status(() -> c.createVolume(new VolumeCreateRequest("x/y", null, null, null))));
        same(c -> status(() -> c.listVolumes(Filters.of("bogus", "1"))));
        same(c -> status(() -> c.removeVolume("xo_missing", false)));
        same(c -> status(() -> c.removeVolume("xo_missing", true)));
        same(c -> {
            // below API 1.42 a prune takes named volumes too (later only anonymous ones)
            PruneReport r = c.pruneVolumes(Filters.of("label", "com.docker.compose.project=xo"));
            return r.volumesDeleted() == null ? List.of() : r.volumesDeleted();
        });
        same(c -> {
            c.removeVolume("xo_other", false);
            return c.listVolumes(Filters.of("name", "xo_")).size();
        });
    }

    @Test
    void lookupsOfMissingObjectsAgreeOnStatusAndText() {
        same(c -> status(() -> c.inspectContainer("xo_nope")));
        same(c -> catchThrowableOfType(EngineApiException.class, () -> c.inspectContainer("xo_nope")).getMessage());
        same(c -> status(() -> c.inspectImage("xo_nope")));
        same(c -> catchThrowableOfType(EngineApiException.class, () -> c.inspectImage("xo_nope")).getMessage().contains("No such image"));
        same(c -> status(() -> c.inspectNetwork("xo_nope")));
        same(c -> catchThrowableOfType(EngineApiException.class, () -> c.inspectNetwork("xo_nope")).getMessage());
        same(c -> status(() -> c.listContainers(true, Filters.of("status", "zombie"))));
        same(c -> c.listContainers(true, Filters.of("label", "xo=1")).size());
    }
}
