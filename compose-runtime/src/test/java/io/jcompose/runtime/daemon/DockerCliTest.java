package io.jcompose.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's own CLI (a client no one here wrote) against an in-process jcomposed. */
class DockerCliTest {

    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    @TempDir
    Path dir;

    Jcomposed daemon;
    Path socket;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "the docker CLI is not installed at " + DOCKER);
        socket = dir.resolve("jc.sock");
        daemon = Jcomposed.start(DaemonConfig.defaults()
                .withDataRoot(dir.resolve("root"))
                .withExecRoot(dir.resolve("run"))
                .withHosts(List.of("unix://" + socket)));
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    Run docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionNegotiatesOurApiAndShowsTheServer() throws Exception {
        Run r = docker("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}} {{.Server.Version}} {{.Client.APIVersion}}");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("1.44 linux " + EngineIdentity.ENGINE_VERSION + " 1.44");
    }

    @Test
    void infoPrintsOurFields() throws Exception {
        Run r = docker("info", "--format", "{{.OSType}}|{{.Swarm.LocalNodeState}}|{{.DockerRootDir}}|{{.ServerVersion}}|{{.NCPU}}");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("linux|inactive|" + dir.resolve("root") + "|" + EngineIdentity.ENGINE_VERSION + "|"
                + Runtime.getRuntime().availableProcessors());
        Run plain = docker("info");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("Server Version: " + EngineIdentity.ENGINE_VERSION, "Swarm: inactive", "OSType: linux");
    }

    @Test
    void volumeLifecycle() throws Exception {
        assertThat(docker("volume", "create", "--label", "com.docker.compose.project=demo", "demo_data").out().trim()).isEqualTo("demo_data");
        String anon = docker("volume", "create").out().trim();
        assertThat(anon).matches("[0-9a-f]{64}");
        assertThat(docker("volume", "ls", "-q").out().lines().toList()).containsExactlyInAnyOrder("demo_data", anon);
        assertThat(docker("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=demo").out().trim()).isEqualTo("demo_data");
        assertThat(docker("volume", "inspect", "--format", "{{.Mountpoint}} {{.Driver}} {{.Scope}}", "demo_data").out().trim())
                .isEqualTo(dir.resolve("root/volumes/demo_data/_data") + " local local");
        Run missing = docker("volume", "inspect", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such volume");
        assertThat(docker("volume", "rm", "demo_data").out().trim()).isEqualTo("demo_data");
        Run prune = docker("volume", "prune", "-f");
        assertThat(prune.out()).contains(anon);
        assertThat(docker("volume", "ls", "-q").out().trim()).isEmpty();
        assertThat(dir.resolve("root/volumes/demo_data")).doesNotExist();
    }

    @Test
    void anEmptyEngineListsNothingAndSaysWhyItCannotRun() throws Exception {
        Run ps = docker("ps", "-a");
        assertThat(ps.exit()).as(ps.err()).isZero();
        assertThat(ps.out()).startsWith("CONTAINER ID");
        assertThat(docker("images").exit()).isZero();
        assertThat(docker("network", "ls").exit()).isZero();
        Run inspect = docker("inspect", "nope");
        assertThat(inspect.exit()).isEqualTo(1);
        assertThat(inspect.err()).contains("No such object: nope");
        Run run = docker("run", "--rm", "busybox", "true");
        assertThat(run.exit()).isEqualTo(125);
        assertThat(run.err()).contains("containers are not available");
    }

    @Test
    void eventsBetweenSinceAndUntil() throws Exception {
        long since = System.currentTimeMillis() / 1000;
        docker("volume", "create", "ev1");
        docker("volume", "rm", "ev1");
        long until = System.currentTimeMillis() / 1000 + 2;
        Thread.sleep(Math.max(0, until * 1000 - System.currentTimeMillis() + 100)); // until in the past: replay only
        Run r = docker("system", "events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "type=volume", "--format", "{{.Type}} {{.Action}} {{.Actor.ID}}");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("volume create ev1", "volume destroy ev1");
    }
}
