package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * stdin forwarding of {@code exec} and {@code run}, and a real terminal: jcompose started in a
 * pseudo-terminal by {@code script(1)}, whose size the container must see and whose mode must be
 * restored when jcompose ends.
 */
@Tag("root")
@Tag("registry")
class TerminalTest {
    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    @Test
    void stdinIsForwardedAndAPseudoTerminalGetsRawModeSizeAndRestore() throws Exception {
        Path composeFile = compose.project("term", """
                services:
                  web:
                    image: busybox:latest
                    command: ["sleep", "300"]
                """);
        run = compose.prepare(composeFile);
        assertThat(run.jcompose("up", "-d").code()).isZero();

        ComposeRun.Result exec = run.jcompose(new ByteArrayInputStream("hello\nworld\n".getBytes(StandardCharsets.UTF_8)),
                "exec", "-T", "web", "sh", "-c", "cat; exit 4");
        assertThat(exec.code()).as(exec.err()).isEqualTo(4);
        assertThat(exec.out()).isEqualTo("hello\nworld\n");
        ComposeRun.Result oneOff = run.jcompose(new ByteArrayInputStream("from stdin\n".getBytes(StandardCharsets.UTF_8)),
                "run", "--rm", "-T", "web", "sh", "-c", "tr a-z A-Z");
        assertThat(oneOff.code()).as(oneOff.err()).isZero();
        assertThat(oneOff.out()).isEqualTo("FROM STDIN\n");

        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) from util-linux for a pseudo-terminal");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jcompose = javaBin + " -cp '" + System.getProperty("java.class.path") + "' io.jcompose.cli.Main --progress plain -f '"
                + composeFile + "'";
        // in the pty: a known size, the mode before, exec and run (a TTY by default there), the mode after; the
        // size reaches the container by a resize after the start, so it sleeps first (docker compose races alike)
        String shell = "stty rows 33 cols 111; before=$(stty -g); "
                + jcompose + " exec web sh -c 'sleep 1; tty; stty size'; echo \"exec rc=$?\"; "
                + jcompose + " run --rm web sh -c 'sleep 1; tty; stty size'; echo \"run rc=$?\"; "
                + "[ \"$before\" = \"$(stty -g)\" ] && echo restored; "
                // a resize while exec runs: the kernel sends SIGWINCH, jcompose passes the new size on
                + jcompose + " exec web sh -c 'sleep 3; stty size' < /dev/tty & sleep 1.5; stty rows 20 cols 70; wait; echo resized";
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qec", shell, "/dev/null").redirectErrorStream(true);
        pb.environment().putAll(run.environment());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close(); // no keystrokes: the exec's stdin ends when the command has ended
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).containsPattern("/dev/pts/\\d+\n33 111\nexec rc=0\n")
                .containsPattern("/dev/pts/\\d+\n33 111\nrun rc=0\n")
                .contains("restored\n")
                .containsPattern("\n20 70\nresized\n");
    }

    @Test
    void ctrlCStopsGracefullyAndASecondCtrlCKills() throws Exception {
        Path composeFile = compose.project("intr", """
                services:
                  sleeper:
                    image: busybox:latest
                    command: ["sleep", "600"]
                    stop_grace_period: 300s
                """);
        run = compose.prepare(composeFile);
        assertThat(run.jcompose("create").code()).isZero(); // starts the engine and pulls, in this JVM

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "io.jcompose.cli.Main",
                "--progress", "plain", "-f", composeFile.toString(), "up");
        pb.environment().putAll(run.environment());
        Process up = pb.start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder err = new StringBuilder();
            Thread errReader = Thread.ofVirtual().start(() -> {
                try {
                    up.getErrorStream().transferTo(new java.io.OutputStream() {
                        @Override
                        public void write(int b) {
                            synchronized (err) {
                                err.append((char) b);
                            }
                        }
                    });
                } catch (IOException e) {
                    // the process ended
                }
            });
            assertThat(out.readLine()).isEqualTo("Attaching to sleeper-1");
            signal("INT", up.pid());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                synchronized (err) {
                    return err.toString().contains("Gracefully stopping... (press Ctrl+C again to force)");
                }
            });
            // busybox sleep ignores SIGTERM and the grace period is 300 s: only the second Ctrl-C's kill ends it soon
            signal("INT", up.pid());
            assertThat(up.waitFor(120, TimeUnit.SECONDS)).as("up ended after the second Ctrl-C").isTrue();
            errReader.join(10_000);
            assertThat(up.exitValue()).isEqualTo(130);
            synchronized (err) {
                assertThat(err.toString()).endsWith("canceled\n");
            }
            var api = new io.jcompose.runtime.api.client.EngineClient(new io.jcompose.runtime.api.client.DockerHost.Unix(run.socket()));
            var state = api.inspectContainer("intr-sleeper-1").state();
            assertThat(state.running()).isFalse();
            assertThat(state.exitCode()).isEqualTo(137);
        } finally {
            up.destroyForcibly().waitFor();
        }
    }

    /** Sends a signal to a process this test started, by its PID. */
    private static void signal(String name, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
    }
}
