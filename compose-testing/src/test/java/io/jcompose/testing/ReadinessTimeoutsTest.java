package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.runtime.api.Filters;
import io.jcompose.testing.support.PrivateEngine;
import io.jcompose.testing.support.RealEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of readiness on a real engine, each passing where it should and, where it cannot
 * pass, failing at its timeout with the service's last log lines: an open port, an HTTP 2xx
 * (a 404 is not ready), and {@code depends_on} health (a dependency that turns unhealthy, a health
 * check that is still starting when the startup timeout ends). Also the handle's stop/start.
 */
@RealEngine
class ReadinessTimeoutsTest {
    private static final Path HTTPD = Path.of("src", "test", "compose", "httpd");

    @TempDir
    Path dir;

    private Path compose(String yaml) throws IOException {
        return Files.writeString(dir.resolve("compose.yaml"), yaml);
    }

    /** {@code up()} fails for {@code service}; the half-started stack is gone afterwards. */
    private static ServiceNotReadyException notReady(ComposeProject project, String service) {
        ServiceNotReadyException e = catchThrowableOfType(ServiceNotReadyException.class, project::up);
        assertThat(e).as("up() should have failed").isNotNull();
        assertThat(e.service()).as(e.getMessage()).isEqualTo(service);
        var left = PrivateEngine.get().client().listContainers(true,
                new Filters(Map.of("label", Set.of("com.docker.compose.project=" + project.load().name()))));
        assertThat(left).as("the failed stack was taken down").isEmpty();
        return e;
    }

    @Test
    void portAndHttpWaitsPassAndTheHandleStopsAndStartsTheService() throws Exception {
        ComposeProject project = ComposeProject.from(HTTPD).withStopTimeout(0)
                .waitingFor("web", Wait.forHttp("/ok.html", 8000).withTimeout(Duration.ofSeconds(60)));
        try (ComposeStack stack = project.up()) {
            ServiceHandle web = stack.service("web");
            assertThat(get(URI.create("http://" + web.host() + ":" + web.port(8000) + "/ok.html"))).isEqualTo(200);
            assertThat(get(URI.create("http://" + web.ip() + ":8000/missing"))).isEqualTo(404);

            web.stop();
            assertThat(state(stack)).isEqualTo("exited");
            web.start();
            assertThat(state(stack)).isEqualTo("running");
            assertThat(web.exec("cat", "/www/ok.html").stdout()).isEqualTo("ok\n");
            assertThat(web.logs()).as("the output of both runs").contains("serving /www");
        }
        // a port wait on the same service passes once httpd listens
        try (ComposeStack stack = ComposeProject.from(HTTPD).withStopTimeout(0)
                .waitingFor("web", Wait.forPort(8000).withTimeout(Duration.ofSeconds(60))).up()) {
            assertThat(get(URI.create("http://" + stack.service("web").ip() + ":8000/ok.html"))).isEqualTo(200);
        }
    }

    @Test
    void anHttpWaitThatOnlyGets404TimesOutWithTheLastLogLines() {
        ComposeProject project = ComposeProject.from(HTTPD).withStopTimeout(0)
                .waitingFor("web", Wait.forHttp("/health", 8000).withTimeout(Duration.ofSeconds(3)));
        ServiceNotReadyException e = notReady(project, "web");
        assertThat(e.reason()).startsWith("timed out after 3s waiting for ").contains("/health", "8000");
        assertThat(e.lastLogLines()).contains("serving /www");
        assertThat(e.getMessage()).contains("  | serving /www");
    }

    @Test
    void aPortWaitOnAPortNobodyOpensTimesOutWithTheLastLogLines() throws IOException {
        ComposeProject project = ComposeProject.from(compose("""
                services:
                  quiet:
                    image: busybox:latest
                    command: ["sh", "-c", "echo listening nowhere; echo still nowhere; exec sleep 3600"]
                """)).withStopTimeout(0).waitingFor("quiet", Wait.forPort(7000).withTimeout(Duration.ofSeconds(3)));
        ServiceNotReadyException e = notReady(project, "quiet");
        assertThat(e.reason()).startsWith("timed out after 3s waiting for ").contains("7000");
        assertThat(e.lastLogLines()).containsExactly("listening nowhere", "still nowhere");
    }

    @Test
    void aDependencyThatTurnsUnhealthyIsReportedWithItsOwnLogLines() throws IOException {
        ComposeProject project = ComposeProject.from(compose("""
                services:
                  db:
                    image: busybox:latest
                    command: ["sh", "-c", "echo db starting; echo db cannot open its files; exec sleep 3600"]
                    healthcheck:
                      test: ["CMD", "false"]
                      interval: 1s
                      retries: 2
                  app:
                    image: busybox:latest
                    command: ["sh", "-c", "echo app up; exec sleep 3600"]
                    depends_on:
                      db: {condition: service_healthy}
                """)).withStopTimeout(0).withStartupTimeout(Duration.ofSeconds(60));
        ServiceNotReadyException e = notReady(project, "db");
        assertThat(e.reason()).contains("unhealthy");
        assertThat(e.lastLogLines()).containsExactly("db starting", "db cannot open its files");
    }

    @Test
    void aHealthCheckStillStartingAtTheStartupTimeoutIsReportedWithItsLogLines() throws IOException {
        ComposeProject project = ComposeProject.from(compose("""
                services:
                  slow:
                    image: busybox:latest
                    command: ["sh", "-c", "echo warming up; exec sleep 3600"]
                    healthcheck:
                      test: ["CMD", "false"]
                      interval: 1s
                      retries: 1000
                """)).withStopTimeout(0).withStartupTimeout(Duration.ofSeconds(3));
        ServiceNotReadyException e = notReady(project, "slow");
        assertThat(e.lastLogLines()).containsExactly("warming up");
    }

    private static String state(ComposeStack stack) {
        return PrivateEngine.get().client().listContainers(true,
                new Filters(Map.of("label", Set.of("com.docker.compose.project=" + stack.projectName())))).getFirst().state();
    }

    private static int get(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
