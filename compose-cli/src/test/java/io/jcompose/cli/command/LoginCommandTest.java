package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jcompose login}/{@code logout} against the fixture registries: 127.0.0.1:5001 wants
 * Basic authentication (jcompose / jcompose-pass), 127.0.0.1:5000 none. Credentials land in a
 * private {@code DOCKER_CONFIG}, in the Docker CLI's format.
 */
@Tag("registry")
class LoginCommandTest {
    static final String AUTH_REGISTRY = "127.0.0.1:5001";

    @TempDir Path dockerConfig;

    record Result(int code, String out, String err) {}

    Result jcompose(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("DOCKER_CONFIG", dockerConfig.toString()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void registriesAnswer() {
        for (String port : new String[] {"5000", "5001"}) {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                Assumptions.assumeTrue(status == 200 || status == 401, "fixture registry :" + port + " answers " + status);
            } catch (Exception e) {
                Assumptions.assumeTrue(false, "the fixture registry on :" + port + " does not answer (fixtures/registry up): " + e);
            }
        }
    }

    @Test
    void wrongPasswordIsRefusedWithOneLineAndStoresNothing() {
        Result r = jcompose("login", "-u", "jcompose", "-p", "wrong", AUTH_REGISTRY);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"
                + "login to registry 127.0.0.1:5001 failed for user \"jcompose\": wrong username or password\n");
        assertThat(dockerConfig.resolve("config.json")).doesNotExist();
    }

    @Test
    void loginStoresWhatDockerWouldAndLogoutForgetsIt() throws Exception {
        Result in = jcompose("login", "-u", "jcompose", "-p", "jcompose-pass", "http://" + AUTH_REGISTRY + "/v2/");
        assertThat(in.code()).as(in.err()).isZero();
        assertThat(in.out()).isEqualTo("Login Succeeded\n");
        String stored = Files.readString(dockerConfig.resolve("config.json"));
        assertThat(stored).contains("\"" + AUTH_REGISTRY + "\"")
                .contains(Base64.getEncoder().encodeToString("jcompose:jcompose-pass".getBytes(StandardCharsets.UTF_8)));

        assertThat(jcompose("logout", AUTH_REGISTRY)).isEqualTo(new Result(0, "Removing login credentials for 127.0.0.1:5001\n", ""));
        assertThat(Files.readString(dockerConfig.resolve("config.json"))).doesNotContain("jcompose-pass").doesNotContain(AUTH_REGISTRY);
        assertThat(jcompose("logout", AUTH_REGISTRY)).isEqualTo(new Result(0, "Not logged in to 127.0.0.1:5001\n", ""));
    }

    @Test
    void aRegistryWithoutAuthenticationAcceptsAnyLogin() {
        Result r = jcompose("login", "-u", "anyone", "-p", "anything", "127.0.0.1:5000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Login Succeeded\n");
    }

    @Test
    void missingUsernameIsAUsageError() {
        Result r = jcompose("login", AUTH_REGISTRY);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("login needs --username and --password");
    }
}
