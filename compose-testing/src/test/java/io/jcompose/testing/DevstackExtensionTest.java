package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.Filters;
import io.jcompose.testing.junit.Compose;
import io.jcompose.testing.junit.ComposeService;
import io.jcompose.testing.support.PrivateEngine;
import io.jcompose.testing.support.RealEngine;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * samples/devstack (python app + mariadb + redis) driven by the extension: up by depends_on health
 * and an HTTP wait, the app answers on its published port and on its container address, the
 * counter in redis increases, and everything the stack made carries this JVM's session label.
 */
@RealEngine
class DevstackExtensionTest {
    private static final Pattern VISITS = Pattern.compile("\"visits\": (\\d+)");

    @Compose
    static ComposeProject devstack = ComposeProject.from(Path.of("..", "samples", "devstack"))
            .withEnv("APP_PORT", Integer.toString(freePort()))
            .waitingFor("app", Wait.forHttp("/health", 8000).withTimeout(Duration.ofSeconds(60)));

    @Test
    void theAppAnswersAndTheCounterIncreases(@ComposeService(value = "app", port = 8000) URI app, @ComposeService("app") ServiceHandle handle,
            @ComposeService("cache") ServiceHandle cache) throws Exception {
        int first = visits(app.resolve("/visit"));
        int second = visits(app.resolve("/visit"));
        assertThat(second).isEqualTo(first + 1);
        int third = visits(URI.create("http://" + handle.ip() + ":8000/visit"));
        assertThat(third).as("the container address answers from the host").isEqualTo(second + 1);

        ExecResult get = cache.exec("redis-cli", "get", "visits");
        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout().trim()).isEqualTo(Integer.toString(third));
        assertThat(handle.logs()).contains("devstack app listening on :8000", "GET /visit");
    }

    @Test
    void everythingTheStackMadeCarriesTheSessionLabel(ComposeStack stack) {
        EngineClient engine = PrivateEngine.get().client();
        Filters session = new Filters(Map.of("label", Set.of(ComposeSession.LABEL + "=" + ComposeSession.current().id())));
        String project = stack.projectName();
        assertThat(project).matches("devstack-[0-9a-f]{6}");
        assertThat(engine.listContainers(true, session)).extracting(c -> c.names().getFirst())
                .contains("/" + project + "-app-1", "/" + project + "-db-1", "/" + project + "-cache-1");
        assertThat(engine.listNetworks(session)).extracting(n -> n.name()).contains(project + "_default");
        assertThat(engine.listVolumes(session)).extracting(v -> v.name()).contains(project + "_dbdata");
    }

    private static int visits(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Matcher m = VISITS.matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
