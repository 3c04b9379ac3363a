package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code exec}, {@code port}, {@code pause}/{@code unpause}, {@code ls} and {@code kill} on a real busybox
 * service of a real jcomposed, the states checked through the Engine API.
 */
@Tag("root")
@Tag("registry")
class ContainerCommandsTest {
    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    @Test
    void execPortPauseUnpauseKillOnARunningService() throws Exception {
        Path composeFile = compose.project("cmds", """
                services:
                  web:
                    image: busybox:latest
                    command: ["httpd", "-f", "-p", "80", "-h", "/etc"]
                    ports: ["80"]
                """);
        run = compose.prepare(composeFile);
        assertThat(run.jcompose("up", "-d").code()).isZero();
        EngineClient api = new EngineClient(new DockerHost.Unix(run.socket()));

        // stdin is not attached here: surefire's forked JVM talks to maven over its stdin
        ComposeRun.Result exec = run.jcompose("exec", "-T", "--no-interactive", "web",
                "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(exec.code()).isEqualTo(3);
        assertThat(exec.out()).isEqualTo("out\n");
        assertThat(exec.err()).isEqualTo("err\n");

        ComposeRun.Result env = run.jcompose("exec", "-T", "--no-interactive", "-e", "A=1", "-w", "/tmp", "-u", "nobody",
                "--index", "1", "web", "sh", "-c", "echo $A $(pwd) $(id -un)");
        assertThat(env.code()).isZero();
        assertThat(env.out()).isEqualTo("1 /tmp nobody\n");
        assertThat(run.jcompose("exec", "-T", "--index", "2", "web", "true").err().strip())
                .isEqualTo("service \"web\" is not running container #2");

        ComposeRun.Result port = run.jcompose("port", "web", "80");
        assertThat(port.code()).isZero();
        int published = api.inspectContainer("cmds-web-1").networkSettings().ports().get("80/tcp").getFirst().hostPort()
                .transform(Integer::parseInt);
        assertThat(port.out()).isEqualTo("0.0.0.0:" + published + "\n");
        // as Docker: a port published on no particular address is on IPv4 and IPv6, same host port
        assertThat(httpStatus("127.0.0.1", published)).isEqualTo(200);
        if (Files.exists(Path.of("/proc/net/if_inet6"))) {
            assertThat(api.inspectContainer("cmds-web-1").networkSettings().ports().get("80/tcp"))
                    .extracting(b -> b.hostIp() + ":" + b.hostPort()).containsExactly("0.0.0.0:" + published, ":::" + published);
            assertThat(httpStatus("[::1]", published)).isEqualTo(200);
            assertThat(run.jcompose("ps").out()).contains("0.0.0.0:" + published + "->80/tcp, :::" + published + "->80/tcp");
        } else {
            System.out.println("ContainerCommandsTest: the host has no IPv6; the [::] binding is not checked");
        }
        assertThat(run.jcompose("port", "--protocol", "udp", "web", "80").code()).isEqualTo(1);

        // the progress display writes to the process's stderr, not the captured one: states via the API
        assertThat(run.jcompose("pause", "web").code()).isZero();
        boolean paused = api.inspectContainer("cmds-web-1").state().paused();
        // unpause before asserting: the engine cannot stop a paused container (down would hang)
        ComposeRun.Result unpause = run.jcompose("unpause");
        assertThat(paused).isTrue();
        assertThat(unpause.code()).isZero();
        assertThat(api.inspectContainer("cmds-web-1").state().paused()).isFalse();
        assertThat(api.inspectContainer("cmds-web-1").state().running()).isTrue();

        ComposeRun.Result ls = run.jcompose("ls");
        assertThat(ls.code()).isZero();
        assertThat(ls.out()).isEqualTo(String.format("%-10s%-13s%s%n%-10s%-13s%s%n", "NAME", "STATUS", "CONFIG FILES",
                "cmds", "running(1)", composeFile));

        ComposeRun.Result kill = run.jcompose("kill", "-s", "SIGKILL", "web");
        assertThat(kill.code()).isZero();
        // kill only sends the signal (as Docker's does): the exit is recorded a moment later
        await().atMost(Duration.ofSeconds(10)).until(() -> !api.inspectContainer("cmds-web-1").state().running());
        assertThat(run.jcompose("ls", "-q").out()).isEmpty();
        assertThat(run.jcompose("ls", "-a", "-q").out()).isEqualTo("cmds\n");
    }

    /** The HTTP status of GET /hostname from busybox httpd at host:port. */
    private static int httpStatus(String host, int port) throws Exception {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + host + ":" + port + "/hostname"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
