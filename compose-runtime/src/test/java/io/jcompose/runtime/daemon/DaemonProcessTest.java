package io.jcompose.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jcomposed} process: started detached by the launcher, locked data root, SIGTERM. */
@Tag("root") // the real engine it starts mounts, makes cgroups and netns
class DaemonProcessTest {

    @TempDir
    Path dir;

    final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatWeStarted() throws Exception {
        for (ProcessHandle p : started) {
            p.destroyForcibly();
            p.onExit().get(10, TimeUnit.SECONDS);
        }
        removeFallbackRunRoots();
    }

    /**
     * Our temp exec root is too long for the shim's socket paths, so the engine ran under a
     * {@code /run/jcompose-<hash>} directory naming it in {@code .exec-root}; a killed daemon
     * cannot remove that, so the test does.
     */
    private void removeFallbackRunRoots() throws Exception {
        try (var dirs = Files.newDirectoryStream(Path.of("/run"), "jcompose-????????")) {
            for (Path d : dirs) {
                Path owner = d.resolve(".exec-root");
                if (Files.exists(owner) && Path.of(Files.readString(owner).strip()).startsWith(dir)) {
                    Files.delete(owner);
                    Files.delete(d);
                }
            }
        }
    }

    private DaemonConfig config(String name) {
        return DaemonConfig.defaults()
                .withDataRoot(dir.resolve("root"))
                .withExecRoot(dir.resolve("run"))
                .withHosts(List.of("unix://" + dir.resolve(name + ".sock")));
    }

    @Test
    void launcherStartsADetachedDaemonThatSurvivesAndStopsCleanlyOnSigterm() throws Exception {
        DaemonConfig cfg = config("a");
        DaemonLauncher.Result r = DaemonLauncher.ensureRunning(cfg, null);
        assertThat(r).isInstanceOf(DaemonLauncher.Result.Started.class);
        ProcessHandle daemon = ProcessHandle.of(((DaemonLauncher.Result.Started) r).pid()).orElseThrow();
        started.add(daemon);
        assertThat(DaemonLauncher.ensureRunning(cfg, null)).isInstanceOf(DaemonLauncher.Result.AlreadyRunning.class);

        EngineClient client = new EngineClient(new DockerHost.Unix(cfg.socketPath()));
        client.createVolume(new VolumeCreateRequest("kept", null, null, null));

        // a second daemon on the same data root must refuse, saying why
        DaemonLauncher.Result second = DaemonLauncher.ensureRunning(config("b"), null);
        assertThat(second).isInstanceOfSatisfying(DaemonLauncher.Result.Failed.class,
                f -> assertThat(f.reason()).contains("is in use by another jcomposed (pid " + daemon.pid() + ")"));

        daemon.destroy(); // SIGTERM
        assertThat(daemon.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(cfg.socketPath()).doesNotExist();

        // state survives a restart
        DaemonLauncher.Result again = DaemonLauncher.ensureRunning(cfg, null);
        assertThat(again).isInstanceOf(DaemonLauncher.Result.Started.class);
        started.add(ProcessHandle.of(((DaemonLauncher.Result.Started) again).pid()).orElseThrow());
        assertThat(client.inspectVolume("kept").name()).isEqualTo("kept");
    }

    @Test
    void aBadConfigFileIsReportedInOneLine() throws Exception {
        Path bad = dir.resolve("daemon.json");
        java.nio.file.Files.writeString(bad, "{\"no-such-key\": 1}");
        DaemonLauncher.Result r = DaemonLauncher.ensureRunning(config("c"), bad);
        assertThat(r).isInstanceOfSatisfying(DaemonLauncher.Result.Failed.class,
                f -> assertThat(f.reason()).contains("jcomposed exited with status 1", "don't match any configuration option: no-such-key"));
    }
}
