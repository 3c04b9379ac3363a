package io.jcompose.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Debian's docker-compose 1.29 (Python, docker-py: uses the verbatim ApiVersion, list-form
 * filters) against an in-process jcomposed, for what works without containers yet.
 */
class DockerComposeV1Test {

    static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

    @TempDir
    Path dir;

    Jcomposed daemon;
    Path socket;

    record Run(int exit, String out) {}

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(COMPOSE), "docker-compose 1.29 is not installed (apt-get install docker-compose)");
        socket = dir.resolve("jc.sock");
        daemon = Jcomposed.start(DaemonConfig.defaults().withDataRoot(dir.resolve("root")).withHosts(List.of("unix://" + socket)));
        Files.createDirectories(dir.resolve("proj"));
        Files.writeString(dir.resolve("proj/docker-compose.yml"), "services:\n  web:\n    image: busybox\nvolumes:\n  data: {}\n");
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    Run compose(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(COMPOSE.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.resolve("proj").toFile()).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        Path out = dir.resolve("out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker-compose " + String.join(" ", args) + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void psAndDownOnAnEmptyProjectTalkToUs() throws Exception {
        Run ps = compose("ps");
        assertThat(ps.exit()).as(ps.out()).isZero();
        assertThat(ps.out()).contains("Name", "State");
        daemon.volumes().create(new io.jcompose.runtime.api.model.VolumeCreateRequest("proj_data", null, null,
                java.util.Map.of("com.docker.compose.project", "proj", "com.docker.compose.volume", "data")));
        Run down = compose("down", "-v");
        assertThat(down.exit()).as(down.out()).isZero();
        assertThat(down.out()).contains("Removing volume proj_data");
        assertThat(dir.resolve("root/volumes/proj_data")).doesNotExist();
    }
}
