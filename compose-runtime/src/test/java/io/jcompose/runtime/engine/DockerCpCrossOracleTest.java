package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code docker cp} both ways with Debian's docker CLI (a client no one here wrote) against
 * jcomposed and against the reference dockerd ({@code bench/lib/ref-dockerd}, started here when
 * none runs, stopped again then): the same files, modes, owners and times come out of both, on a
 * created, a running and a stopped container, through the root filesystem and a volume.
 */
@Tag("root")
@Tag("registry")
class DockerCpCrossOracleTest {
    static final Path DOCKER = Path.of("/usr/bin/docker");
    static final Path REF = Path.of("../bench/lib/ref-dockerd");
    static final Path REF_SOCKET = Path.of("/run/jcompose-ref/docker.sock");

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("cp").cli(DOCKER);

    static Path dir;
    static boolean startedRef;
    static final String NAME = "jcp-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REF), "no bench/lib/ref-dockerd next to this module");
        dir = d.dir();
        if (!refAnswers()) {
            Process p = new ProcessBuilder(REF.toString(), "start").inheritIO().start();
            Assumptions.assumeTrue(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0, "the reference dockerd did not start");
            startedRef = true;
        }
        docker(ref(), "pull", "busybox").ok(); // ours has it from the fixture
    }

    @AfterAll
    static void stop() throws Exception {
        if (refAnswers()) { // what a failed test left there; ours is emptied by the fixture
            docker(ref(), "rm", "-f", "-v", NAME + "-c", NAME + "-r", NAME + "-v");
        }
        if (startedRef) {
            new ProcessBuilder(REF.toString(), "stop").inheritIO().start().waitFor(180, TimeUnit.SECONDS);
        }
    }

    @Test
    void copyInAndOutOfACreatedContainerGivesTheSameFilesOnBothEngines() throws Exception {
        Path src = sourceTree(dir.resolve("src-created"));
        List<String> results = new ArrayList<>();
        for (String host : List.of(ours(), ref())) {
            String c = NAME + "-c";
            docker(host, "create", "--name", c, "--network", "none", "busybox", "sleep", "300").ok();
            docker(host, "cp", src.toString(), c + ":/tmp/").ok();
            docker(host, "cp", src.toString() + "/.", c + ":/opt").ok(); // the content, into an existing dir
            Path out = dir.resolve("out-" + results.size());
            Files.createDirectories(out);
            docker(host, "cp", c + ":/tmp/src-created", out.resolve("tree").toString()).ok();
            docker(host, "cp", c + ":/opt/a.txt", out.resolve("a-from-opt").toString()).ok();
            docker(host, "cp", c + ":/bin/sh", out.resolve("sh-link").toString()).ok();
            docker(host, "cp", "-L", c + ":/bin/sh", out.resolve("sh-file").toString()).ok();
            PrivateDaemon.Run missing = docker(host, "cp", c + ":/no/such/file", out.resolve("x").toString());
            PrivateDaemon.Run notDir = docker(host, "cp", src.resolve("a.txt").toString(), c + ":/etc/passwd/");
            results.add(listing(out) + "\nmissing: " + missing.exit() + " " + missing.err().replace(c, "C")
                    + "notDir: " + notDir.exit());
            docker(host, "rm", "-f", c).ok();
        }
        assertThat(results.get(0)).as("jcomposed's copy vs the reference dockerd's").isEqualTo(results.get(1));
        assertThat(results.get(0)).contains("tree/sub/b.sh 755 ", "tree/link -> a.txt", "sh-link -> /bin/busybox",
                "a-from-opt 640 ", "missing: 1 Error: No such container:path: C:/no/such/file");
    }

    @Test
    void copyIntoARunningContainerIsSeenInsideAndAVolumeOfAStoppedOneToo() throws Exception {
        Path src = sourceTree(dir.resolve("src-running"));
        List<String> results = new ArrayList<>();
        for (String host : List.of(ours(), ref())) {
            String r = NAME + "-r";
            docker(host, "run", "-d", "--name", r, "--network", "none", "busybox", "sleep", "300").ok();
            docker(host, "cp", src.toString(), r + ":/srv").ok(); // /srv does not exist: the dir is copied as /srv
            String inside = docker(host, "exec", r, "sh", "-c",
                    "cd /srv && for f in a.txt sub sub/b.sh; do stat -c '%n %a %u %g %s %Y' $f; done; readlink link").ok().out();
            Path out = dir.resolve("run-out-" + results.size());
            docker(host, "cp", r + ":/etc/hostname", out.toString()).ok(); // a bind-mounted file, seen through the live namespace
            String hostname = Files.readString(out).strip();
            String id = docker(host, "inspect", "-f", "{{.Config.Hostname}}", r).ok().out().strip();
            docker(host, "rm", "-f", r).ok();

            String v = NAME + "-v";
            docker(host, "create", "--name", v, "--network", "none", "-v", "/data", "busybox", "cat", "/data/src-running/a.txt").ok();
            docker(host, "cp", src.toString(), v + ":/data").ok();
            docker(host, "start", "-a", v).ok();
            String logs = docker(host, "logs", v).ok().out();
            Path volumeOut = dir.resolve("vol-out-" + results.size());
            docker(host, "cp", v + ":/data/src-running/sub", volumeOut.toString()).ok();
            docker(host, "rm", "-f", "-v", v).ok();
            results.add(inside + "hostname is the id: " + hostname.equals(id) + "\n" + logs + listing(volumeOut));
        }
        assertThat(results.get(0)).as("jcomposed vs the reference dockerd").isEqualTo(results.get(1));
        assertThat(results.get(0)).contains("a.txt 640 1234 2345 6 1600000000", "hostname is the id: true", "hello\n");
    }

    // ------------------------------------------------------------------ helpers

    /** a.txt (0640, 1234:2345), sub/ (0750) with b.sh (0755), a relative symlink; fixed times. */
    static Path sourceTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("a.txt"), "hello\n");
        Files.writeString(root.resolve("sub/b.sh"), "echo\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("a.txt"));
        Map<Path, Integer> modes = Map.of(root.resolve("a.txt"), 0640, root.resolve("sub"), 0750, root.resolve("sub/b.sh"), 0755,
                root, 0755);
        for (var e : modes.entrySet()) {
            Files.setAttribute(e.getKey(), "unix:mode", e.getValue());
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", 2345, LinkOption.NOFOLLOW_LINKS);
                Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_600_000_000)));
            }
        }
        return root;
    }

    /** One line per path under {@code root}: name, mode, owner, size (files), link target, mtime of files. */
    static String listing(Path root) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (p.equals(root)) {
                    continue;
                }
                var a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    b.append(rel).append(" -> ").append(Files.readSymbolicLink(p));
                } else {
                    b.append(rel).append(' ').append(Integer.toOctalString((int) a.get("mode") & 07777)).append(' ')
                            .append(a.get("uid")).append(' ').append(a.get("gid"));
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        b.append(' ').append(a.get("size")).append(' ').append(Files.getLastModifiedTime(p).toInstant().getEpochSecond());
                    }
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    static String ours() {
        return d.host();
    }

    static String ref() {
        return "unix://" + REF_SOCKET;
    }

    static boolean refAnswers() {
        try {
            return Files.exists(REF_SOCKET) && docker(ref(), "version", "--format", "{{.Server.Version}}").exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Debian's docker CLI against {@code host} (ours or the reference dockerd). */
    static PrivateDaemon.Run docker(String host, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-H", host));
        all.addAll(List.of(args));
        return d.docker(180, all.toArray(String[]::new));
    }
}
