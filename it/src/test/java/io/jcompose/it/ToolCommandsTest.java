package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.cli.Main;
import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.testsupport.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code top}, {@code images}, {@code pull}, {@code push}, {@code events --json} and {@code cp}
 * on a real busybox service of a real jcomposed, with the output compose 2.26.1 prints
 * (checked against it and the reference dockerd, see docs/cli.md).
 */
@Tag("root")
@Tag("registry")
class ToolCommandsTest {
    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    ComposeRun start(String pushRepository) throws IOException {
        Path project = Files.createDirectories(compose.dir().resolve("tools"));
        Files.writeString(project.resolve("Dockerfile"), "FROM busybox\n");
        Path composeFile = project.resolve("compose.yaml");
        Files.writeString(composeFile, """
                services:
                  web:
                    image: busybox:latest
                    command: ["sleep", "300"]
                  app:
                    image: %s
                    build: .
                    profiles: [push]
                """.formatted(pushRepository));
        run = compose.prepare(composeFile);
        ComposeRun.Result up = run.jcompose("up", "-d");
        assertThat(up.code()).as(up.err()).isZero();
        return run;
    }

    @Test
    void topImagesAndPullShowWhatComposeShows() throws Exception {
        start("127.0.0.1:5000/unused/app:1");
        ComposeRun.Result top = run.jcompose("top");
        assertThat(top.code()).as(top.err()).isZero();
        List<String> lines = top.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("tools-web-1");
        assertThat(lines.get(1)).matches("UID +PID +PPID +C +STIME +TTY +TIME +CMD");
        assertThat(lines.get(2)).matches("root +\\d+ +\\d+ +\\d+ +\\S+ +\\S+ +\\S+ +sleep 300 {3}");
        assertThat(top.out()).endsWith("\n\n");

        ComposeRun.Result images = run.jcompose("images");
        assertThat(images.code()).as(images.err()).isZero();
        assertThat(images.out().lines().toList().getFirst())
                .isEqualTo("CONTAINER           REPOSITORY          TAG                 IMAGE ID            SIZE");
        assertThat(images.out().lines().toList().get(1)).matches("tools-web-1 {9}busybox {13}latest {14}[0-9a-f]{12} {8}\\d[\\d.]*[kMG]?B");
        String id = run.jcompose("images", "-q").out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(run.jcompose("images", "--format", "json").out())
                .startsWith("[{\"ID\":\"sha256:" + id + "\",\"ContainerName\":\"tools-web-1\",\"Repository\":\"busybox\",\"Tag\":\"latest\",\"Size\":");

        ComposeRun.Result pull = run.jcompose("pull", "web");
        assertThat(pull.code()).as(pull.err()).isZero();
        assertThat(pull.err()).contains(" web Pulling \n", " web Pulled \n");
        ComposeRun.Result missing = run.jcompose("pull", "--policy", "missing", "web");
        assertThat(missing.err()).isEqualTo(" web Skipped - Image is already present locally \n");
        assertThat(run.jcompose("pull", "--policy", "sometimes").err().strip()).isEqualTo("invalid --policy option \"sometimes\"");
        assertThat(run.jcompose("pull", "nope").err().strip()).isEqualTo("no such service: nope");
    }

    @Test
    void eventsJsonSeesCreateStartAndDieOfTheService() throws Exception {
        start("127.0.0.1:5000/unused/app:1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        Thread events = Thread.ofPlatform().daemon().start(() -> Main.run(stream, stream, envOf(run), eventsArgs()));
        try {
            // the subscription is made when the request arrives: restart until an event shows it is
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                run.jcompose("restart", "-t", "0", "web");
                return text(out).contains("\"action\":\"restart\"");
            });
            ComposeRun.Result recreate = run.jcompose("up", "-d", "--force-recreate", "-t", "0");
            assertThat(recreate.code()).as(recreate.err()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> text(out).contains("\"action\":\"destroy\""));
            List<String> json = text(out).lines().filter(l -> l.startsWith("{")).toList();
            assertThat(json).allMatch(l -> l.matches("\\{\"action\":\"[a-z_: ]+\",\"attributes\":\\{.*\\},\"id\":\"[0-9a-f]{64}\","
                    + "\"service\":\"web\",\"time\":\"[-0-9T:.]+(Z|[+-]\\d\\d:\\d\\d)\",\"type\":\"container\"}"));
            assertThat(json).anyMatch(l -> l.contains("\"action\":\"create\"")).anyMatch(l -> l.contains("\"action\":\"start\""))
                    .anyMatch(l -> l.contains("\"action\":\"die\"") && l.contains("\"exitCode\":\""));
            assertThat(json).noneMatch(l -> l.contains("com.docker.compose."));
            assertThat(json).anyMatch(l -> l.contains("\"name\":\"tools-web-1\""));
        } finally {
            events.interrupt();
        }
    }

    @Test
    void cpCopiesBothWaysKeepingModesAndNames() throws Exception {
        start("127.0.0.1:5000/unused/app:1");
        Path local = Files.createDirectories(compose.dir().resolve("local"));
        Path file = local.resolve("notes.txt");
        Files.writeString(file, "hello cp\n");
        Files.setAttribute(file, "unix:mode", 0640);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_600_000_000)));
        Files.createDirectories(local.resolve("tree/sub"));
        Files.writeString(local.resolve("tree/sub/x.sh"), "echo x\n");
        Files.setAttribute(local.resolve("tree/sub/x.sh"), "unix:mode", 0755);

        ComposeRun.Result in = run.jcompose("cp", file.toString(), "web:/tmp/");
        assertThat(in.code()).as(in.err()).isZero();
        assertThat(in.err()).contains(" tools-web-1 copy " + file + " to tools-web-1:/tmp/ Copying\n",
                " tools-web-1 copy " + file + " to tools-web-1:/tmp/ Copied\n");
        assertThat(exec("stat", "-c", "%a %s %Y", "/tmp/notes.txt")).isEqualTo("640 9 1600000000\n");
        assertThat(run.jcompose("cp", local.resolve("tree").toString(), "web:/tmp/copied").code()).isZero(); // a new name
        assertThat(exec("cat", "/tmp/copied/sub/x.sh")).isEqualTo("echo x\n");
        assertThat(exec("stat", "-c", "%a", "/tmp/copied/sub/x.sh")).isEqualTo("755\n");

        Path back = Files.createDirectories(compose.dir().resolve("back"));
        ComposeRun.Result out = run.jcompose("cp", "web:/tmp/notes.txt", back.resolve("renamed.txt").toString());
        assertThat(out.code()).as(out.err()).isZero();
        assertThat(back.resolve("renamed.txt")).hasContent("hello cp");
        assertThat(Files.getAttribute(back.resolve("renamed.txt"), "unix:mode")).isEqualTo(0100640);
        assertThat(run.jcompose("cp", "web:/tmp/copied", back.toString()).code()).isZero(); // into an existing dir
        assertThat(back.resolve("copied/sub/x.sh")).hasContent("echo x");
        assertThat(run.jcompose("cp", "web:/etc/hostname", back.toString()).code()).isZero(); // a bind-mounted file
        assertThat(Files.readString(back.resolve("hostname")).strip()).matches("[0-9a-f]{12}");

        ComposeRun.Result tar = run.jcompose("cp", "web:/tmp/notes.txt", "-"); // a tar on stdout
        assertThat(tar.out()).startsWith("notes.txt").contains("hello cp\n");

        ComposeRun.Result missing = run.jcompose("cp", "web:/no/such", back.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).containsPattern("Error response from daemon: Could not find the file /no/such in container [0-9a-f]{64}\n$");
        assertThat(run.jcompose("cp", file.toString(), "web:/no/dir/").err()).endsWith("no such directory\n");
        assertThat(run.jcompose("cp", "a", "b").err().strip()).isEqualTo("unknown copy direction");
        assertThat(run.jcompose("cp", file.toString(), "nosvc:/tmp").err().strip()).isEqualTo("no container found for service \"nosvc\"");
        assertThat(Files.isSymbolicLink(back.resolve("copied"))).isFalse();
        assertThat(Files.exists(back.resolve("copied"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void pushSendsTheBuiltServicesImageToTheRegistry() throws Exception {
        // a registry of its own: pushes to the shared fixture registry would stay there
        try (RegistryServer target = RegistryServer.anonymous(Files.createDirectories(compose.dir().resolve("registry")))) {
            String repo = "jcompose-test-push/app";
            start(target.host() + "/" + repo + ":1");
            EngineClient api = new EngineClient(new DockerHost.Unix(run.socket()));
            api.tagImage("busybox:latest", target.host() + "/" + repo, "1");
            ComposeRun.Result push = run.jcompose("--profile", "push", "push");
            assertThat(push.code()).as(push.err()).isZero();
            assertThat(push.err()).contains(" web Skipped \n");
            assertThat(registry(target, "GET", "/v2/" + repo + "/tags/list").body()).isEqualTo("{\"name\":\"" + repo + "\",\"tags\":[\"1\"]}\n");
            ComposeRun.Result quiet = run.jcompose("--profile=push", "push", "-q", "app");
            assertThat(quiet.code()).as(quiet.err()).isZero();
            assertThat(quiet.err()).isEmpty();
        }
    }

    @Test
    void upSendsTheUsersRegistryLoginWithItsPulls() throws Exception {
        Path root = Path.of(System.getProperty("user.home"), ".docker", "config.json");
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(root) && Files.readString(root).contains("127.0.0.1:5001"),
                root + " holds a login for 127.0.0.1:5001: the daemon's own would hide the one the CLI sends");
        Path composeFile = compose.project("login", """
                services:
                  web:
                    image: 127.0.0.1:5001/library/busybox:latest
                    command: ["sleep", "300"]
                """);
        Path dockerConfig = Files.createDirectories(compose.dir().resolve("docker-config"));
        ComposeRun user = compose.prepare(composeFile, Map.of("DOCKER_CONFIG", dockerConfig.toString()));
        ComposeRun.Result refused = user.jcompose("up", "-d");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("requires authentication");

        // the daemon has no login of its own: only the CLI's X-Registry-Auth can get this pull through
        Files.writeString(dockerConfig.resolve("config.json"), """
                {"auths": {"127.0.0.1:5001": {"auth": "%s"}}}
                """.formatted(java.util.Base64.getEncoder().encodeToString("jcompose:jcompose-pass".getBytes(StandardCharsets.UTF_8))));
        ComposeRun.Result up = user.jcompose("up", "-d");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(user.jcompose("ps", "-q").out().strip()).isNotEmpty();
    }

    // ------------------------------------------------------------------ helpers

    String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "-T", "--no-interactive", "web"));
        args.addAll(List.of(command));
        ComposeRun.Result r = run.jcompose(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r.out();
    }

    static HttpResponse<String> registry(RegistryServer registry, String method, String path) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(registry.base() + path)).method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String[] eventsArgs() {
        return new String[] {"-f", compose.dir().resolve("tools/compose.yaml").toString(), "events", "--json"};
    }

    static Map<String, String> envOf(ComposeRun run) {
        return run.environment();
    }
}
