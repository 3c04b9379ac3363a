package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native client ({@code compose-cli/target/native/jcompose-client}) against the CLI server of
 * a private jcomposed, run as real processes: the client's directory, environment, stdin, streams,
 * exit codes and Ctrl-C reach the command; without a server, or with {@code JCOMPOSE_NO_SERVER=1},
 * it runs the JVM launcher and prints the same. Requests meant for the server run with a launcher
 * that does not exist, so a fallback there would fail the test.
 */
@Tag("root")
@Tag("registry")
class CliServerTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CLIENT = ROOT.resolve("compose-cli/target/native/jcompose-client");
    private static final Path JVM_LAUNCHER = ROOT.resolve("bin/jcompose-jvm");
    private static final String NO_LAUNCHER = "/nonexistent/jcompose-jvm";

    @TempDir Path dir;

    ComposeRun run;

    @AfterEach
    void cleanUp() throws IOException {
        if (run != null) {
            run.close();
        }
    }

    record Result(int code, String out, String err) {}

    private Result client(Path cwd, Map<String, String> extraEnv, String stdin, String... args) throws Exception {
        Process p = start(cwd, extraEnv, args);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = readAll(p.getInputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("client ended").isTrue();
        return new Result(p.exitValue(), out, err.get());
    }

    private Process start(Path cwd, Map<String, String> extraEnv, String... args) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(CLIENT.toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().putAll(run.environment());
        pb.environment().put("JCOMPOSE_JVM_LAUNCHER", NO_LAUNCHER);
        pb.environment().putAll(extraEnv);
        return pb.start();
    }

    private static void copy(java.io.InputStream in, StringBuffer into) {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                into.append(line).append('\n');
            }
        } catch (IOException e) {
            into.append(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The daemon's threads of this name, counted in its thread dump (virtual threads included). */
    private long daemonThreads(String name) throws Exception {
        Path dump = dir.resolve("threads-" + System.nanoTime() + ".json");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(run.daemonPid()), "Thread.dump_to_file", "-format=json",
                dump.toString()).redirectErrorStream(true).start();
        String said = readAll(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jcmd ended").isTrue();
        assertThat(p.exitValue()).as(said).isZero();
        try {
            return java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"" + java.util.regex.Pattern.quote(name) + "\"")
                    .matcher(Files.readString(dump)).results().count();
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    void theClientRunsCommandsInTheDaemonAndFallsBackToTheJvm() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CLIENT), "build compose-cli first: no " + CLIENT);
        Path project = Files.createDirectories(dir.resolve("proj/app"));
        Path composeFile = project.resolve("compose.yaml");
        Files.writeString(composeFile, """
                services:
                  web:
                    image: busybox:latest
                    command: ["sh", "-c", "echo ${GREETING}; trap 'echo got TERM; exit 0' TERM; while true; do sleep 1; done"]
                    volumes: ["./data:/data"]
                """);
        run = ComposeRun.prepare(composeFile, dir, Map.of());
        assertThat(run.jcomposeBare("engine", "start").code()).isZero();
        Path socket = run.runRoot().resolve("jcompose-cli.sock");
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Files.exists(socket));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        Path cwd = dir.resolve("proj");
        Map<String, String> greeting = Map.of("GREETING", "hello-from-the-client");

        Result version = client(cwd, Map.of(), "", "version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("jcompose version ");
        assertThat(version.err()).isEmpty();

        // the project given relatively (the client's cwd) and interpolated from the client's environment
        Result config = client(cwd, greeting, "", "-f", "app/compose.yaml", "config");
        assertThat(config.code()).as(config.err()).isZero();
        assertThat(config.out()).contains("hello-from-the-client").contains("source: " + project.resolve("data"));

        // stdout and stderr apart: a warning on stderr only
        Result warned = client(cwd, Map.of(), "", "-f", "app/compose.yaml", "config", "--services");
        assertThat(warned.out()).isEqualTo("web\n");
        assertThat(warned.err()).contains("The \"GREETING\" variable is not set");

        // an error: compose's exit code, one line on stderr, the same as the JVM's
        Result error = client(cwd, Map.of(), "", "-f", "missing.yaml", "config");
        Result errorJvm = client(cwd, Map.of("JCOMPOSE_NO_SERVER", "1", "JCOMPOSE_JVM_LAUNCHER", JVM_LAUNCHER.toString()), "",
                "-f", "missing.yaml", "config");
        assertThat(error.code()).isNotZero().isEqualTo(errorJvm.code());
        assertThat(error.err()).isEqualTo(errorJvm.err());

        // JCOMPOSE_NO_SERVER=1: the JVM launcher, same output
        Result configJvm = client(cwd, Map.of("GREETING", "hello-from-the-client", "JCOMPOSE_NO_SERVER", "1",
                "JCOMPOSE_JVM_LAUNCHER", JVM_LAUNCHER.toString()), "", "-f", "app/compose.yaml", "config");
        assertThat(configJvm).isEqualTo(config);

        // stdin relayed into exec -T; the container's exit code comes back
        Result up = client(cwd, greeting, "", "--progress", "plain", "-f", "app/compose.yaml", "up", "-d");
        assertThat(up.code()).as(up.err()).isZero();
        Result exec = client(cwd, greeting, "piped\ninto exec\n", "-f", "app/compose.yaml", "exec", "-T", "web", "sh", "-c", "cat; exit 3");
        assertThat(exec.code()).as(exec.err()).isEqualTo(3);
        assertThat(exec.out()).isEqualTo("piped\ninto exec\n");

        // logs -f: the run's follower thread ends with the run, whether its client vanishes
        // (kill -9: the connection drops) or is interrupted (Ctrl-C, forwarded)
        for (String signal : java.util.List.of("KILL", "INT")) {
            Process logs = start(cwd, greeting, "-f", "app/compose.yaml", "logs", "-f", "web");
            logs.getOutputStream().close();
            StringBuffer logsText = new StringBuffer();
            Thread logsReader = Thread.ofVirtual().start(() -> copy(logs.getInputStream(), logsText));
            Thread logsErrReader = Thread.ofVirtual().start(() -> copy(logs.getErrorStream(), logsText));
            Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> logsText.toString().contains("hello-from-the-client"));
            assertThat(daemonThreads("jcompose-logs")).as("the follower of the running logs -f").isEqualTo(1);
            new ProcessBuilder("kill", "-" + signal, Long.toString(logs.pid())).start().waitFor();
            assertThat(logs.waitFor(60, TimeUnit.SECONDS)).as("logs -f ended by SIG" + signal).isTrue();
            logsReader.join();
            logsErrReader.join();
            Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(daemonThreads("jcompose-logs")).as("followers left after SIG" + signal).isZero());
        }

        // attached up, Ctrl-C to the client: a graceful stop through the server
        Process attached = start(cwd, greeting, "--progress", "plain", "-f", "app/compose.yaml", "up", "--force-recreate");
        attached.getOutputStream().close();
        StringBuffer attachedText = new StringBuffer();
        Thread outReader = Thread.ofVirtual().start(() -> copy(attached.getInputStream(), attachedText));
        Thread errReader = Thread.ofVirtual().start(() -> copy(attached.getErrorStream(), attachedText));
        // the recreated container's first line, through the client's stdout: it runs and is attached
        Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(() -> attachedText.toString().contains("hello-from-the-client"));
        new ProcessBuilder("kill", "-INT", Long.toString(attached.pid())).start().waitFor();
        assertThat(attached.waitFor(60, TimeUnit.SECONDS)).as("attached up ended after Ctrl-C").isTrue();
        outReader.join();
        errReader.join();
        assertThat(attached.exitValue()).isEqualTo(130);
        assertThat(attachedText.toString()).contains("Gracefully stopping").contains("got TERM");
        // stopped, not removed: listed with -a only
        assertThat(client(cwd, greeting, "", "-f", "app/compose.yaml", "ps", "-a", "-q").out()).isNotBlank();
        assertThat(client(cwd, greeting, "", "-f", "app/compose.yaml", "ps", "-q").out()).isBlank();

        // run -T whose container ignores Ctrl-C (PID 1 without a handler), its client gone: the run
        // ends after the second interrupt, and so does its thread waiting for the container's exit
        Process oneOff = start(cwd, greeting, "-f", "app/compose.yaml", "run", "-T", "web", "sh", "-c", "echo one-off-up; exec sleep 1000");
        oneOff.getOutputStream().close();
        StringBuffer oneOffText = new StringBuffer();
        Thread oneOffReader = Thread.ofVirtual().start(() -> copy(oneOff.getInputStream(), oneOffText));
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> oneOffText.toString().contains("one-off-up"));
        assertThat(daemonThreads("jcompose-run-wait")).as("the waiter of the running one-off").isEqualTo(1);
        oneOff.destroyForcibly();
        assertThat(oneOff.waitFor(30, TimeUnit.SECONDS)).isTrue();
        oneOffReader.join();
        Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).pollInterval(java.time.Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(daemonThreads("jcompose-run-wait")).as("waiters left after the run ended").isZero());
        assertThat(client(cwd, greeting, "", "--progress", "plain", "-f", "app/compose.yaml", "down", "-t", "1").code()).isZero();

        // the daemon stopped: no server, the JVM launcher answers
        assertThat(run.jcomposeBare("engine", "stop").code()).isZero();
        Result noServer = client(cwd, Map.of("GREETING", "hello-from-the-client", "JCOMPOSE_JVM_LAUNCHER", JVM_LAUNCHER.toString()), "",
                "-f", "app/compose.yaml", "config");
        assertThat(noServer).isEqualTo(config);
        Result proof = client(cwd, Map.of(), "", "version");
        assertThat(proof.code()).isEqualTo(1);
        assertThat(proof.err()).contains("cannot run " + NO_LAUNCHER);
        assertThat(Files.exists(socket)).as("the CLI socket goes with its daemon").isFalse();
    }
}
