package io.jcompose.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI server on a real Unix socket, driven by frames as the native client sends them: the
 * client's working directory, environment and stdin reach the command, stdout and stderr come
 * back apart, and requests it must not run are declined. (The native client itself is proven
 * against a real jcomposed in it/CliServerTest.)
 */
class CliServerTest {
    private static final String BUILD = "test-build";

    @TempDir Path dir;
    private CliServer server;

    @BeforeEach
    void start() throws IOException {
        server = CliServer.start(dir, BUILD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What came back for one request. */
    record Reply(String declined, int exit, String out, String err, boolean askedForStdin) {}

    private Reply request(String build, Path cwd, Map<String, String> env, boolean stdinTty, byte[] stdin, String... args) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(server.socket()));
            FrameChannel frames = new FrameChannel(c);
            frames.write(Frame.text(Frame.Type.VERSION, build));
            for (String a : args) {
                frames.write(Frame.text(Frame.Type.ARG, a));
            }
            for (var e : env.entrySet()) {
                frames.write(Frame.text(Frame.Type.ENV, e.getKey() + "=" + e.getValue()));
            }
            frames.write(Frame.text(Frame.Type.CWD, cwd.toString()));
            frames.write(new Frame(Frame.Type.TERMINALS, ByteBuffer.allocate(7).put((byte) (stdinTty ? 1 : 0)).put((byte) 0).put((byte) 0)
                    .putShort((short) 120).putShort((short) 40).array()));
            frames.write(new Frame(Frame.Type.GO, new byte[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            boolean asked = false;
            for (Frame f; (f = frames.read()) != null; ) {
                switch (f.type()) {
                    case Frame.Type.DECLINE -> {
                        return new Reply(f.text(), -1, "", "", false);
                    }
                    case Frame.Type.STDOUT -> out.writeBytes(f.payload());
                    case Frame.Type.STDERR -> err.writeBytes(f.payload());
                    case Frame.Type.WANT_STDIN -> {
                        asked = true;
                        frames.write(new Frame(Frame.Type.STDIN, stdin));
                        frames.write(new Frame(Frame.Type.STDIN, new byte[0]));
                    }
                    case Frame.Type.EXIT -> {
                        return new Reply(null, f.int32(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), asked);
                    }
                    default -> throw new AssertionError("unexpected " + f);
                }
            }
            throw new AssertionError("the server closed without an exit code");
        }
    }

    @Test
    void theSocketIsPrivateToItsUser() throws IOException {
        assertThat(server.socket().getFileName()).hasToString(CliServer.SOCKET_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket()))).isEqualTo("rw-------");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly(CliServer.SOCKET_NAME);
        }
    }

    @Test
    void runsVersion() throws IOException {
        Reply r = request(BUILD, dir, Map.of(), false, new byte[0], "version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("jcompose version ");
        assertThat(r.err()).isEmpty();
        assertThat(r.askedForStdin()).isFalse();
    }

    @Test
    void relativePathsStartFromTheClientsDirectoryAndItsEnvironmentInterpolates() throws IOException {
        Path project = Files.createDirectories(dir.resolve("proj/sub"));
        Files.writeString(project.resolve("compose.yaml"), """
                services:
                  app:
                    image: busybox
                    command: ["echo", "${GREETING}", "${UNSET_HERE}"]
                    volumes: ["./data:/data"]
                """);
        Reply r = request(BUILD, dir.resolve("proj"), Map.of("GREETING", "hello-from-client"), false, new byte[0],
                "-f", "sub/compose.yaml", "config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("hello-from-client").contains("name: sub").contains("source: " + project.resolve("data"))
                .doesNotContain("WARN");
        assertThat(r.err()).contains("WARN[0000] The \"UNSET_HERE\" variable is not set");
    }

    @Test
    void stdinIsRelayedWhenTheCommandReadsIt() throws IOException {
        byte[] file = "name: fromstdin\nservices:\n  a:\n    image: busybox\n".getBytes(StandardCharsets.UTF_8);
        Reply r = request(BUILD, dir, Map.of(), false, file, "-f", "-", "config", "--services");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.askedForStdin()).isTrue();
        assertThat(r.out()).isEqualTo("a\n");
    }

    @Test
    void errorsKeepTheirExitCodeAndGoToStderr() throws IOException {
        Reply r = request(BUILD, dir, Map.of(), false, new byte[0], "-f", "missing.yaml", "config");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("missing.yaml");
        Reply usage = request(BUILD, dir, Map.of(), false, new byte[0], "nonsense");
        assertThat(usage.err()).startsWith("unknown command");
        assertThat(usage.exit()).isEqualTo(io.jcompose.cli.ExitCodes.USAGE);
    }

    @Test
    void credentialHelpersComeFromTheClientsPathAndRunWithItsEnvironment() throws IOException {
        // a helper only on the client's PATH (the daemon's PATH has no such directory): it records
        // what it was asked, with a variable only the client's environment has
        Path bin = Files.createDirectories(dir.resolve("client-bin"));
        Path asked = dir.resolve("asked.txt");
        Path helper = bin.resolve("docker-credential-clientonly");
        Files.writeString(helper, "#!/bin/sh\nread server\necho \"$1 $server $CLIENT_MARK\" >> '" + asked + "'\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"credsStore\": \"clientonly\"}");
        assertThat(System.getenv("PATH")).doesNotContain(bin.toString());

        Reply r = request(BUILD, dir, Map.of("PATH", bin + ":/usr/bin:/bin", "DOCKER_CONFIG", dockerConfig.toString(),
                "CLIENT_MARK", "from-the-client"), false, new byte[0], "logout", "registry.example:5000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Removing login credentials for registry.example:5000\n");
        assertThat(Files.readString(asked)).isEqualTo("erase registry.example:5000 from-the-client\n");
    }

    @Test
    void declinesAnotherBuildInteractiveExecOrRunAndEngineCommands() throws IOException {
        assertThat(request("other", dir, Map.of(), false, new byte[0], "version").declined()).contains("other");
        assertThat(request(BUILD, dir, Map.of(), true, new byte[0], "exec", "web", "sh").declined()).contains("exec");
        assertThat(request(BUILD, dir, Map.of(), true, new byte[0], "-p", "x", "run", "web").declined()).contains("run");
        assertThat(request(BUILD, dir, Map.of(), true, new byte[0], "version").declined()).isNull();
        assertThat(request(BUILD, dir, Map.of(), false, new byte[0], "engine", "stop").declined()).contains("engine");
    }

    @Test
    void concurrentRunsKeepTheirOwnDirectoryAndEnvironment() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            Path p = Files.createDirectories(dir.resolve("p" + i));
            Files.writeString(p.resolve("compose.yaml"), "services:\n  s:\n    image: busybox\n    command: [\"${V}\"]\n");
            String want = "value-" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Reply r = request(BUILD, p, Map.of("V", want), false, new byte[0], "config");
                    if (r.exit() != 0 || !r.out().contains(want) || !r.out().contains("name: p" + want.substring(6))) {
                        failures.add(r.toString());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }
}
