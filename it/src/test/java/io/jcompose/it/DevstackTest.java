package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/devstack end to end, as its README says a user runs it: {@code up -d --wait} brings
 * mariadb, redis and the app up healthy; the published port answers and counts; {@code down}
 * then {@code up} keeps the database rows (named volume); {@code down -v} removes them.
 */
@Tag("root")
@Tag("registry")
class DevstackTest {
    private static final Path SAMPLE = Path.of("..", "samples", "devstack").toAbsolutePath().normalize();
    private static final Pattern ROWS = Pattern.compile("\"rows\": (\\d+)");

    @TempDir Path dir;

    ComposeRun run;
    int port;

    @AfterEach
    void cleanUp() throws IOException {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void upWaitServesThenDownKeepsTheDatabaseAndDownVolumesRemovesIt() throws Exception {
        Path project = copySample(dir.resolve("devstack"));
        port = freePort();
        run = ComposeRun.prepare(project.resolve("compose.yaml"), dir, Map.of("APP_PORT", Integer.toString(port)));

        up();
        assertThat(rows()).isEqualTo(1);
        assertThat(rows()).isEqualTo(2);
        ComposeRun.Result ps = run.jcompose("ps");
        assertThat(ps.out()).contains("devstack-app-1", "devstack-db-1", "devstack-cache-1", "(healthy)", "->8000/tcp");

        down("down", "-t", "2");
        up();
        assertThat(rows()).as("rows kept in the dbdata volume across down/up").isEqualTo(3);

        down("down", "-v", "-t", "2");
        up();
        assertThat(rows()).as("down -v removed the volume").isEqualTo(1);
    }

    private void up() {
        ComposeRun.Result up = run.jcompose("up", "-d", "--wait", "--wait-timeout", "120");
        assertThat(up.code()).as("up -d --wait: " + up.err()).isZero();
    }

    private void down(String... args) {
        ComposeRun.Result down = run.jcompose(args);
        assertThat(down.code()).as(String.join(" ", args) + ": " + down.err()).isZero();
    }

    /** One visit of the app; returns how many rows mariadb holds afterwards. */
    private int rows() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/visit"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Matcher m = ROWS.matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    private static Path copySample(Path target) throws IOException {
        return ComposeRun.copyTree(SAMPLE, target);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
