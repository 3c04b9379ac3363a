package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.engine.PrivateDaemon.Run;
import io.jcompose.runtime.sys.HostNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Docker's real CLI ({@code /usr/local/bin/docker}, a client no one here wrote) drives a
 * {@code jcomposed} with the real engine on a temp socket and data root, pulling from the fixture
 * registry as a Docker Hub mirror. Afterwards nothing of it may be left on the host: mounts,
 * links, namespaces, cgroups, shim processes.
 */
@Tag("root")
@Tag("registry")
class EngineDockerCliTest {

    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("engine-cli").cli(DOCKER).noPull();

    @AfterEach
    void removeLeftContainers() throws Exception {
        if (!d.running()) {
            return;
        }
        Run ids = docker("ps", "-aq", "--no-trunc");
        for (String id : ids.out().split("\\s+")) {
            if (!id.isBlank()) {
                d.containerIds().add(id);
                docker("rm", "-f", "-v", id);
            }
        }
    }

    @AfterAll
    static void stopDaemonAndCheckTheHostIsClean() throws Exception {
        if (!d.running()) {
            return;
        }
        Set<String> containerIds = d.containerIds();
        d.removeAllAndStop();
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mountinfo).as("mounts under the data root").doesNotContain(d.dir().toString());
        assertThat(mountinfo).as("mounts under the run root").doesNotContain(d.runRoot().toString());
        // other engines make links and namespaces on this host at the same time: only this
        // daemon's objects (its tagged names, its containers' ids) count
        HostNames names = HostNames.forDataRoot(d.dataRoot());
        assertThat(links()).as("links of this engine left behind").noneMatch(names::ownsLink);
        assertThat(new ProcessBuilder("nft", "list", "table", "inet", names.nftTable()).start().waitFor())
                .as("nft table of this engine left behind").isNotZero();
        assertThat(shimsUnder(d.runRoot())).as("shim processes left running").isEmpty();
        assertThat(containerIds).as("containers seen by the tests").isNotEmpty();
        for (String id : containerIds) {
            assertThat(Path.of("/run/netns/jc-" + id)).as("netns of " + id).doesNotExist();
            for (Path root : cgroupRoots(names.cgroupParent())) {
                assertThat(root.resolve(id)).as("cgroup of " + id).doesNotExist();
            }
        }
    }

    // ------------------------------------------------------------------ the CLI commands

    @Test
    void loginCredentialsTravelWithEachPullAsDockerSendsThem() throws Exception {
        Path rootConfig = Path.of(System.getProperty("user.home"), ".docker", "config.json");
        Assumptions.assumeFalse(Files.exists(rootConfig) && Files.readString(rootConfig).contains("127.0.0.1:5001"),
                rootConfig + " holds credentials for 127.0.0.1:5001: the engine's own fallback would hide the header path");
        String image = "127.0.0.1:5001/library/busybox:latest";

        Run wrong = docker("login", "-u", "jcompose", "-p", "wrong", "127.0.0.1:5001");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("wrong username or password");
        Run anonymous = docker("pull", image);
        assertThat(anonymous.exit()).isNotZero();
        assertThat(anonymous.err()).contains("requires authentication");

        assertThat(docker("login", "-u", "jcompose", "-p", "jcompose-pass", "127.0.0.1:5001").ok().out()).contains("Login Succeeded");
        docker("pull", image).ok(); // the CLI sends X-Registry-Auth; the engine has no credentials of its own
        docker("logout", "127.0.0.1:5001").ok();
        docker("rmi", image).ok();
    }

    @Test
    void pullThenImagesListsIt() throws Exception {
        Run pull = docker(180, "pull", "busybox").ok();
        assertThat(pull.out()).contains("latest: Pulling from library/busybox").containsPattern(
                "Status: (Downloaded newer image|Image is up to date) for busybox:latest");
        assertThat(pull.out().strip()).endsWith("docker.io/library/busybox:latest");
        Run images = docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").ok();
        assertThat(images.out()).containsPattern("(?m)^busybox:latest [0-9a-f]{12}$");
        Run again = docker(180, "pull", "busybox").ok();
        assertThat(again.out()).contains("Status: Image is up to date for busybox:latest");
    }

    @Test
    void runRmPrintsTheOutputAndExitsWithTheContainersCode() throws Exception {
        Run hi = docker(180, "run", "--rm", "busybox", "echo", "hi").ok();
        assertThat(hi.out()).isEqualTo("hi\n");
        assertThat(docker("run", "--rm", "busybox", "sh", "-c", "echo to-stderr >&2; exit 3"))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(3))
                .satisfies(r -> assertThat(r.err()).isEqualTo("to-stderr\n"));
        Run missing = docker("run", "--rm", "busybox", "no-such-program");
        assertThat(missing.exit()).as("Docker's exit code for a command not found").isEqualTo(127);
        assertThat(missing.err()).contains("exec: \"no-such-program\": executable file not found in $PATH");
        assertThat(docker("ps", "-aq").ok().out()).as("--rm removed every container").isBlank();
    }

    @Test
    void detachedContainerPsLogsExecInspectStopRm() throws Exception {
        docker(180, "pull", "busybox").ok();
        String id = docker("run", "-d", "--name", "web1", "busybox", "sh", "-c",
                "trap 'echo bye; exit 143' TERM; i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done").ok().out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        Run ps = docker("ps", "--format", "{{.ID}} {{.Names}} {{.Image}} {{.Status}}").ok();
        assertThat(ps.out()).containsPattern(id.substring(0, 12) + " web1 busybox Up ");

        Run exec = docker("exec", "web1", "echo", "hi from exec").ok();
        assertThat(exec.out()).isEqualTo("hi from exec\n");
        assertThat(docker("exec", "web1", "sh", "-c", "exit 5").exit()).isEqualTo(5);
        assertThat(docker("exec", "web1", "hostname").ok().out().strip()).isEqualTo(id.substring(0, 12));

        Run inspect = docker("inspect", "--format",
                "{{.Name}}|{{.State.Status}}|{{.State.Running}}|{{.Config.Hostname}}|{{.HostConfig.NetworkMode}}|{{.NetworkSettings.Networks.bridge.IPAddress}}|{{.NetworkSettings.Networks.bridge.Gateway}}|{{.NetworkSettings.Networks.bridge.MacAddress}}|{{.Config.Image}}|{{.HostConfig.LogConfig.Type}}",
                "web1").ok();
        String[] f = inspect.out().strip().split("\\|");
        assertThat(f[0]).isEqualTo("/web1");
        assertThat(f[1]).isEqualTo("running");
        assertThat(f[2]).isEqualTo("true");
        assertThat(f[3]).isEqualTo(id.substring(0, 12));
        assertThat(f[4]).isEqualTo("bridge");
        assertThat(f[5]).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(f[6]).matches("\\d+\\.\\d+\\.\\d+\\.1");
        assertThat(f[7]).startsWith("02:42:");
        assertThat(f[8]).isEqualTo("busybox");
        assertThat(f[9]).isEqualTo("json-file");

        // The loop prints every 0.2 s; on a loaded machine the container may not have two lines yet.
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(docker("logs", "--tail", "2", "web1").ok().out())
                        .containsPattern("^line \\d+\nline \\d+\n$"));

        Run stop = docker("stop", "web1").ok();
        assertThat(stop.out().strip()).isEqualTo("web1");
        assertThat(docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "web1").ok().out().strip()).isEqualTo("exited 143");
        assertThat(docker("logs", "--tail", "1", "web1").ok().out()).isEqualTo("bye\n");
        assertThat(docker("ps", "-a", "--format", "{{.Names}} {{.Status}}").ok().out()).containsPattern("web1 Exited \\(143\\)");
        assertThat(docker("rm", "web1").ok().out().strip()).isEqualTo("web1");
        assertThat(docker("inspect", "web1").exit()).isEqualTo(1);
    }

    /**
     * {@code docker run --rm} asks for {@code wait?condition=removed} concurrently with the start, so
     * the wait can reach the engine while the short-lived container is being auto-removed. A waiter
     * registered in that window once hung the CLI for good (seen under load in CI).
     */
    @Test
    void runRmOfAShortLivedContainerAlwaysReturns() throws Exception {
        docker(180, "pull", "busybox").ok();
        List<Thread> runners = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 3; t++) {
            int exit = 3 + t;
            runners.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 6; i++) {
                        Run r = docker(30, "run", "--rm", "busybox", "sh", "-c", "exit " + exit);
                        assertThat(r.exit()).as("exit code of run --rm; stderr: %s", r.err()).isEqualTo(exit);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread r : runners) {
            r.join();
        }
        assertThat(failures).isEmpty();
        assertThat(docker("ps", "-aq").ok().out()).as("--rm removed every container").isBlank();
    }

    @Test
    void runInTheForegroundPassesStdinTtyAndTheExitCode() throws Exception {
        docker(180, "pull", "busybox").ok();
        Path input = d.dir().resolve("stdin.txt");
        Files.writeString(input, "hello stdin\n");
        Run cat = dockerWithInput(input, "run", "-i", "--rm", "busybox", "cat");
        assertThat(cat.ok().out()).isEqualTo("hello stdin\n");
        Run fg = docker("run", "--name", "fg1", "busybox", "sh", "-c", "echo fg; exit 4");
        assertThat(fg.exit()).isEqualTo(4);
        assertThat(fg.out()).isEqualTo("fg\n");
        docker("rm", "fg1").ok();
        assertThat(docker("run", "--rm", "-t", "busybox", "echo", "tty").ok().out()).as("a tty turns \\n into \\r\\n").isEqualTo("tty\r\n");
    }

    @Test
    void dockerCompose129UpPsLogsDown() throws Exception {
        Path compose = Path.of("/usr/bin/docker-compose");
        Assumptions.assumeTrue(Files.isExecutable(compose), "Debian's docker-compose 1.29 is not installed at " + compose);
        docker(180, "pull", "busybox").ok();
        Path project = Files.createDirectories(d.dir().resolve("proj"));
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "3"
                services:
                  web:
                    image: busybox
                    command: sh -c 'trap "exit 0" TERM; echo web up; sleep 60 & wait'
                  client:
                    image: busybox
                    command: sh -c 'trap "exit 0" TERM; ping -c1 -W2 web && echo reached web; sleep 60 & wait'
                    depends_on: [web]
                """);
        List<String> base = List.of(compose.toString(), "-p", "jcp", "--no-ansi");
        Run up = command(project, 120, concat(base, "up", "-d"));
        assertThat(up.ok().err()).contains("Creating network \"jcp_default\"", "Creating jcp_web_1", "Creating jcp_client_1");
        assertThat(command(project, 60, concat(base, "ps")).ok().out()).containsPattern("jcp_web_1 .* Up").containsPattern("jcp_client_1 .* Up");
        String logs = "";
        for (int i = 0; i < 50 && !logs.contains("reached web"); i++) {
            logs = command(project, 60, concat(base, "logs", "--no-color")).ok().out();
            Thread.sleep(100);
        }
        assertThat(logs).contains("web_1     | web up").contains("reached web");
        Run down = command(project, 120, concat(base, "down"));
        assertThat(down.ok().err()).contains("Removing jcp_web_1", "Removing network jcp_default");
        assertThat(docker("ps", "-aq").ok().out()).isBlank();
        assertThat(docker("network", "ls", "--format", "{{.Name}}").ok().out()).doesNotContain("jcp_default");
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void topAndStatsReadTheContainersCgroups() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "busy", "busybox", "sh", "-c", "while true; do :; done").ok();
        Run top = docker("top", "busy").ok();
        assertThat(top.out()).startsWith("UID").contains("PID").contains("while true");
        Run stats = docker("stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.PIDs}} {{.MemUsage}}", "busy").ok();
        String[] f = stats.out().strip().split(" ", 4);
        assertThat(f[0]).isEqualTo("busy");
        assertThat(Double.parseDouble(f[1].replace("%", ""))).as("a busy loop uses CPU (the machine is shared: a low bar)").isGreaterThan(1.0);
        assertThat(f[2]).isEqualTo("1");
        assertThat(f[3]).matches("[\\d.]+[KMG]iB / [\\d.]+[KMG]iB");
        docker("rm", "-f", "busy").ok();
    }

    @Test
    void pauseUnpauseRenameRestartKillWait() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "p1", "busybox", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done").ok();
        docker("pause", "p1").ok();
        assertThat(docker("ps", "--format", "{{.Names}} {{.Status}}").ok().out()).containsPattern("p1 Up .*\\(Paused\\)");
        docker("unpause", "p1").ok();
        docker("rename", "p1", "p2").ok();
        assertThat(docker("inspect", "--format", "{{.Name}} {{.State.Status}}", "p2").ok().out().strip()).isEqualTo("/p2 running");
        String pidBefore = docker("inspect", "--format", "{{.State.Pid}}", "p2").ok().out().strip();
        docker("restart", "p2").ok();
        assertThat(docker("inspect", "--format", "{{.State.Pid}}", "p2").ok().out().strip()).isNotEqualTo(pidBefore);
        docker("kill", "-s", "TERM", "p2").ok();
        assertThat(docker("wait", "p2").ok().out().strip()).isEqualTo("0");
        assertThat(docker("kill", "p2").exit()).as("kill of a stopped container").isNotZero();
        docker("run", "-d", "--name", "w1", "busybox", "sh", "-c", "sleep 1; exit 7").ok();
        assertThat(docker("wait", "w1").ok().out().strip()).isEqualTo("7");
    }

    @Test
    void stopOfAProcessThatIgnoresSigtermKillsIt137() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "stubborn", "busybox", "sleep", "60").ok();
        docker("stop", "-t", "1", "stubborn").ok();
        assertThat(docker("inspect", "--format", "{{.State.ExitCode}}", "stubborn").ok().out().strip()).isEqualTo("137");
        docker("rm", "stubborn").ok();
    }

    @Test
    void logsFollowStreamsUntilTheContainerExits() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "printer", "busybox", "sh", "-c", "for i in 1 2 3; do echo out $i; echo err $i >&2; sleep 0.5; done").ok();
        Run follow = docker("logs", "-f", "printer").ok();
        assertThat(follow.out()).isEqualTo("out 1\nout 2\nout 3\n");
        assertThat(follow.err()).isEqualTo("err 1\nerr 2\nerr 3\n");
        Run ts = docker("logs", "-t", "--tail", "2", "printer").ok(); // the last two records: out 3, err 3
        assertThat(ts.err()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z err 3\n");
        assertThat(ts.out()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z out 3\n");
        docker("rm", "printer").ok();
    }

    @Test
    void containersOnAUserNetworkResolveEachOtherByName() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("network", "create", "n1").ok();
        try {
            assertThat(docker("network", "ls", "--format", "{{.Name}} {{.Driver}}").ok().out())
                    .contains("n1 bridge", "bridge bridge", "host host", "none null");
            docker("run", "-d", "--name", "srv1", "--network", "n1", "busybox", "sleep", "60").ok();
            String ip = docker("inspect", "--format", "{{.NetworkSettings.Networks.n1.IPAddress}}", "srv1").ok().out().strip();
            assertThat(ip).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            Run lookup = docker("run", "--rm", "--network", "n1", "busybox", "nslookup", "srv1").ok();
            assertThat(lookup.out()).contains("Address: " + ip);
            docker("run", "--rm", "--network", "n1", "busybox", "ping", "-c1", "-W2", "srv1").ok();
            assertThat(docker("network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", "n1").ok().out()).contains("srv1");
            assertThat(docker("network", "rm", "n1").exit()).as("a network in use cannot be removed").isNotZero();
            docker("rm", "-f", "srv1").ok();
        } finally {
            docker("rm", "-f", "srv1");
            docker("network", "rm", "n1").ok();
        }
        assertThat(docker("network", "ls", "--format", "{{.Name}}").ok().out()).doesNotContain("n1");
    }

    @Test
    void namedVolumeKeepsDataAcrossContainersAndIsFilledFromTheImage() throws Exception {
        docker(180, "pull", "busybox").ok();
        assertThat(docker("volume", "create", "v1").ok().out().strip()).isEqualTo("v1");
        docker("run", "--rm", "-v", "v1:/data", "busybox", "sh", "-c", "echo persisted > /data/f").ok();
        assertThat(docker("run", "--rm", "-v", "v1:/data", "busybox", "cat", "/data/f").ok().out()).isEqualTo("persisted\n");
        assertThat(docker("volume", "ls", "--format", "{{.Name}}").ok().out()).contains("v1");
        docker("volume", "rm", "v1").ok();
        // a new named volume over an image directory starts with that directory's content (copy-up)
        assertThat(docker("run", "--rm", "-v", "etc-copy:/etc", "busybox", "cat", "/etc/passwd").ok().out()).contains("root:x:0:0");
        docker("volume", "rm", "etc-copy").ok();
        assertThat(docker("volume", "ls", "-q").ok().out()).doesNotContain("v1", "etc-copy");
    }

    @Test
    void healthChecksAndRestartPoliciesRunInTheDaemon() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "hc1", "--health-cmd", "test -f /tmp/ok", "--health-interval", "300ms", "--health-retries", "1",
                "busybox", "sh", "-c", "sleep 2; touch /tmp/ok; sleep 60").ok();
        assertThat(docker("inspect", "--format", "{{.State.Health.Status}}", "hc1").ok().out().strip()).isIn("starting", "unhealthy");
        awaitOutput(List.of("inspect", "--format", "{{.State.Health.Status}}", "hc1"), "unhealthy");
        awaitOutput(List.of("inspect", "--format", "{{.State.Health.Status}}", "hc1"), "healthy");
        assertThat(docker("ps", "--format", "{{.Names}} {{.Status}}").ok().out()).containsPattern("hc1 Up .* \\(healthy\\)");
        docker("rm", "-f", "hc1").ok();

        docker("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo ran; exit 1").ok();
        awaitOutput(List.of("inspect", "--format", "{{.RestartCount}} {{.State.Status}}", "flaky"), "2 exited");
        Thread.sleep(1000); // no third run: the policy allows two restarts
        assertThat(docker("logs", "flaky").ok().out()).isEqualTo("ran\nran\nran\n");
        assertThat(docker("inspect", "--format", "{{.RestartCount}} {{.State.ExitCode}}", "flaky").ok().out().strip()).isEqualTo("2 1");
        docker("rm", "flaky").ok();
    }

    @Test
    void aContainerWaitingToRestartShowsRestartingAndAStopCancelsIt() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "looper", "--restart", "always", "busybox", "sh", "-c", "exit 3").ok();
        // the backoff doubles from 100 ms, so after a few runs it spends nearly all its time waiting
        awaitOutput(List.of("inspect", "--format", "{{.State.Status}} {{.State.Restarting}} {{.State.Running}}", "looper"),
                "restarting true true");
        assertThat(docker("ps", "--format", "{{.Names}} {{.State}} {{.Status}}").ok().out())
                .containsPattern("looper restarting Restarting \\(3\\) .* ago");
        docker("stop", "looper").ok();
        String count = docker("inspect", "--format", "{{.RestartCount}}", "looper").ok().out().strip();
        Thread.sleep(2000); // a restart the stop failed to cancel would run within this (delays so far are a few seconds)
        assertThat(docker("inspect", "--format", "{{.State.Status}} {{.State.Restarting}} {{.RestartCount}}", "looper").ok().out().strip())
                .isEqualTo("exited false " + count);
        docker("rm", "looper").ok();
    }

    @Test
    void publishedPortIsReachableOnLoopback() throws Exception {
        docker(180, "pull", "busybox").ok();
        docker("run", "-d", "--name", "listener", "-p", "127.0.0.1::7000", "busybox", "sh", "-c", "echo served | nc -l -p 7000").ok();
        String port = docker("port", "listener", "7000").ok().out().strip();
        assertThat(port).matches("127\\.0\\.0\\.1:\\d+");
        String host = port.substring(port.indexOf(':') + 1);
        String answer = null;
        for (int i = 0; i < 50 && answer == null; i++) {
            try (var sock = new java.net.Socket("127.0.0.1", Integer.parseInt(host))) {
                sock.setSoTimeout(5000);
                String got = new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                answer = got.isEmpty() ? null : got;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(answer).isEqualTo("served\n");
        docker("rm", "-f", "listener").ok();
    }

    private void awaitOutput(List<String> args, String expected) throws Exception {
        String last = null;
        for (int i = 0; i < 100; i++) {
            last = docker(args.toArray(String[]::new)).ok().out().strip();
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("docker " + String.join(" ", args) + " printed " + last + ", expected " + expected);
    }

    @Test
    void aRestartedDaemonFindsItsRunningContainers() throws Exception {
        docker(180, "pull", "busybox").ok();
        String id = docker("run", "-d", "--name", "survivor", "busybox", "sleep", "60").ok().out().strip();
        docker("run", "-d", "--name", "phoenix", "--restart", "always", "busybox", "sleep", "60").ok();
        long phoenixPid = Long.parseLong(docker("inspect", "--format", "{{.State.Pid}}", "phoenix").ok().out().strip());
        d.stopDaemon();
        // while no daemon runs, phoenix dies (as after a reboot): the next daemon starts it again
        ProcessHandle dying = ProcessHandle.of(phoenixPid).orElseThrow();
        dying.destroyForcibly();
        dying.onExit().get(10, TimeUnit.SECONDS);
        d.startDaemon();
        awaitOutput(List.of("inspect", "--format", "{{.State.Status}}", "phoenix"), "running");
        assertThat(Long.parseLong(docker("inspect", "--format", "{{.State.Pid}}", "phoenix").ok().out().strip())).isNotEqualTo(phoenixPid);
        docker("rm", "-f", "phoenix").ok();
        assertThat(docker("ps", "--format", "{{.ID}} {{.Names}} {{.State}}").ok().out()).contains(id.substring(0, 12) + " survivor running");
        assertThat(docker("exec", "survivor", "echo", "still here").ok().out()).isEqualTo("still here\n");
        docker("stop", "-t", "1", "survivor").ok();
        assertThat(docker("inspect", "--format", "{{.State.ExitCode}}", "survivor").ok().out().strip()).isEqualTo("137");
        docker("rm", "survivor").ok();
    }

    // ------------------------------------------------------------------ helpers

    Run docker(String... args) throws IOException, InterruptedException {
        return d.docker(args);
    }

    Run docker(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        return d.docker(timeoutSeconds, args);
    }

    Run dockerWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        return d.dockerWithInput(stdin, args);
    }

    Run command(Path workDir, int timeoutSeconds, List<String> cmd) throws IOException, InterruptedException {
        return d.command(workDir, timeoutSeconds, cmd);
    }

    private static List<Path> cgroupRoots(String parent) throws IOException {
        List<Path> roots = new ArrayList<>();
        Path v2 = Path.of("/sys/fs/cgroup", parent);
        if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            roots.add(v2);
        } else {
            try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
                s.map(h -> h.resolve(parent)).forEach(roots::add);
            }
        }
        return roots;
    }

    private static Set<String> links() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static List<Long> shimsUnder(Path root) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(root.toString())).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }
}
