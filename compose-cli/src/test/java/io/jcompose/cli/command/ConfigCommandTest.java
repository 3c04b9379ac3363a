package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcompose config} on the samples and on small files, with compose's flags and errors. */
class ConfigCommandTest {
    static final Path DEVSTACK = Path.of("../samples/devstack/compose.yaml").toAbsolutePath().normalize();

    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void devstackIsPrintedInterpolatedFromItsDotEnv() {
        Result r = run("-f", DEVSTACK.toString(), "config");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("name: devstack\n")
                .contains("MARIADB_DATABASE: devstack", "DB_PASSWORD: devstack-pass", "published: \"8080\"",
                        "condition: service_healthy", "dbdata:", "name: devstack_dbdata")
                .contains("source: " + DEVSTACK.getParent().resolve("app"));
    }

    @Test
    void shellEnvironmentWinsOverDotEnvAndProjectNameFlagWins() {
        Result r = run(Map.of("APP_PORT", "9099"), "-p", "other", "-f", DEVSTACK.toString(), "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("name: other\n").contains("published: \"9099\"", "name: other_dbdata");
    }

    @Test
    void composeFileVariableAndProjectDirectoryFindTheFile() {
        Map<String, String> env = new HashMap<>();
        env.put("COMPOSE_FILE", DEVSTACK.toString());
        env.put("COMPOSE_PROJECT_NAME", "fromenv");
        assertThat(run(env, "config", "--services")).isEqualTo(new Result(0, "app\ncache\ndb\n", ""));
        assertThat(run(env, "config", "--images").out()).contains("redis:7.0\n", "mariadb:10.11\n");
        assertThat(run("--project-directory", DEVSTACK.getParent().toString(), "config", "--volumes"))
                .isEqualTo(new Result(0, "dbdata\n", ""));
    }

    @Test
    void jsonFormatAndQuietAndOutputFile() throws IOException {
        Result json = run("-f", DEVSTACK.toString(), "config", "--format", "json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).startsWith("{").contains("\"name\": \"devstack\"");
        assertThat(run("-f", DEVSTACK.toString(), "config", "-q")).isEqualTo(new Result(0, "", ""));
        Path target = dir.resolve("out.yaml");
        assertThat(run("-f", DEVSTACK.toString(), "config", "-o", target.toString())).isEqualTo(new Result(0, "", ""));
        assertThat(Files.readString(target)).isEqualTo(run("-f", DEVSTACK.toString(), "config").out());
        assertThat(run("-f", DEVSTACK.toString(), "config", "--format", "toml"))
                .isEqualTo(new Result(1, "", "unsupported format \"toml\"\n"));
    }

    @Test
    void profilesSelectServicesAndAreListed() throws IOException {
        Path f = write("compose.yaml", """
                services:
                  web: {image: nginx}
                  debug: {image: busybox, profiles: [dev]}
                  tools: {image: alpine, profiles: [ops, dev]}
                networks:
                  front: {}
                """);
        assertThat(run("-f", f.toString(), "config", "--services").out()).isEqualTo("web\n");
        assertThat(run("-f", f.toString(), "--profile", "dev", "config", "--services").out()).isEqualTo("debug\ntools\nweb\n");
        assertThat(run(Map.of("COMPOSE_PROFILES", "ops"), "-f", f.toString(), "config", "--services").out())
                .isEqualTo("tools\nweb\n");
        assertThat(run("-f", f.toString(), "config", "--profiles").out()).isEqualTo("dev\nops\n");
        assertThat(run("-f", f.toString(), "config", "--networks").out()).isEqualTo("default\n");
    }

    @Test
    void noInterpolateKeepsTheExpressions() throws IOException {
        Path f = write("compose.yaml", """
                services:
                  web:
                    image: nginx:${TAG:-latest}
                    environment:
                      PASSWORD: ${PASSWORD}
                """);
        Map<String, String> env = Map.of("PASSWORD", "secret");
        Result r = run(env, "-f", f.toString(), "config", "--no-interpolate");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("${PASSWORD}", "nginx:${TAG:-latest}").doesNotContain("secret");
        assertThat(run(env, "-f", f.toString(), "config").out()).contains("PASSWORD: secret", "image: nginx:latest");
    }

    @Test
    void envFileFlagReplacesDotEnv() throws IOException {
        Path env = write("alt.env", "DB_PASSWORD=from-alt\n");
        Result r = run("-f", DEVSTACK.toString(), "--env-file", env.toString(), "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("DB_PASSWORD: from-alt");
    }

    @Test
    void invalidFileIsOneLocatedLineAndExitOne() throws IOException {
        Path f = write("compose.yaml", """
                services:
                  web:
                    image: nginx
                    ports:
                      - "80:80:80:80"
                """);
        Result r = run("-f", f.toString(), "config");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).hasLineCount(1).contains("compose.yaml:5:", "services.web.ports");
    }

    @Test
    void missingFileIsOneLineAndExitOne() {
        Result r = run("-f", dir.resolve("nope.yaml").toString(), "config");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).hasLineCount(1).contains("nope.yaml");
    }

    @Test
    void warnsAboutUnsetVariablesAndObsoleteVersionLikeCompose() throws IOException {
        Path f = write("compose.yaml", "version: \"3.8\"\nservices:\n  a:\n    image: busybox:${TAG}\n    command: echo $TAG ${D:-x}\n");
        Result r = run("-f", f.toString(), "config", "-q");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEqualTo("""
                WARN[0000] The "TAG" variable is not set. Defaulting to a blank string.
                WARN[0000] The "TAG" variable is not set. Defaulting to a blank string.
                WARN[0000] %s: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion
                """.formatted(f));
        assertThat(run("-f", f.toString(), "config", "-q", "--no-interpolate").err())
                .doesNotContain("variable is not set").contains("`version` is obsolete");
    }
}
