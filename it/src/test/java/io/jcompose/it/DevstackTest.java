package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * samples/devstack end to end, as its README says a user runs it: {@code up -d --wait} brings
 * mariadb, redis and the app up healthy; the published port answers and counts; {@code ps},
 * {@code logs} and {@code exec} show it; a changed service is recreated alone; {@code down}
 * then {@code up} keeps the database rows (named volume); {@code down -v} removes them. The same
 * scenario runs on jcomposed and, as the cross-oracle, on Debian's dockerd through {@code -H}.
 */
@Tag("root")
@Tag("registry")
class DevstackTest {
    private static final Path SAMPLE = Path.of("..", "samples", "devstack").toAbsolutePath().normalize();
    private static final Pattern ROWS = Pattern.compile("\"rows\": (\\d+)");

    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;
    int port;

    @ParameterizedTest
    @EnumSource(ComposeRun.Engine.class)
    void upWaitServesThenDownKeepsTheDatabaseAndDownVolumesRemovesIt(ComposeRun.Engine engine) throws Exception {
        Path project = copySample(compose.dir().resolve("devstack"));
        port = ComposeRun.freePort();
        Path composeFile = project.resolve("compose.yaml");
        run = compose.prepare(engine, composeFile, Map.of("APP_PORT", Integer.toString(port)));

        up();
        assertThat(rows()).isEqualTo(1);
        assertThat(rows()).isEqualTo(2);
        ComposeRun.Result ps = run.jcompose("ps");
        assertThat(ps.out()).contains("devstack-app-1", "devstack-db-1", "devstack-cache-1", "(healthy)", "->8000/tcp");
        assertThat(run.jcompose("logs", "app").out()).contains("app-1  | devstack app listening on :8000", "GET /visit");

        ComposeRun.Result ping = run.jcompose("exec", "-T", "cache", "redis-cli", "ping");
        assertThat(ping.code()).as(ping.err()).isZero();
        assertThat(ping.out()).isEqualTo("PONG\n");
        ComposeRun.Result visits = run.jcompose("exec", "-T", "cache", "redis-cli", "get", "visits");
        assertThat(visits.out().strip()).isEqualTo("2");
        assertThat(run.jcompose("exec", "-T", "app", "python3", "-c", "import sys; sys.exit(3)").code())
                .as("exec returns the command's exit code").isEqualTo(3);

        // A config change of one service recreates that service only.
        Map<String, String> before = ids();
        Files.writeString(composeFile, Files.readString(composeFile).replace("      REDIS_HOST: cache\n",
                "      REDIS_HOST: cache\n      APP_COLOUR: blue\n"));
        up();
        Map<String, String> after = ids();
        assertThat(after.get("app")).as("app recreated").isNotEqualTo(before.get("app"));
        assertThat(after.get("db")).as("db kept").isEqualTo(before.get("db"));
        assertThat(after.get("cache")).as("cache kept").isEqualTo(before.get("cache"));
        assertThat(run.jcompose("exec", "-T", "app", "printenv", "APP_COLOUR").out()).isEqualTo("blue\n");
        assertThat(rows()).isEqualTo(3);

        down("down", "-t", "2");
        up();
        assertThat(rows()).as("rows kept in the dbdata volume across down/up").isEqualTo(4);

        down("down", "-v", "-t", "2");
        up();
        assertThat(rows()).as("down -v removed the volume").isEqualTo(1);
    }

    /** Container id per service, from {@code ps -q <service>}. */
    private Map<String, String> ids() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String service : List.of("app", "db", "cache")) {
            ComposeRun.Result q = run.jcompose("ps", "-q", service);
            assertThat(q.code()).as(q.err()).isZero();
            out.put(service, q.out().strip());
        }
        assertThat(out.values()).allMatch(id -> id.matches("[0-9a-f]{64}"));
        return out;
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
}
