package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.container.ContainerSpec.Resources;
import io.jcompose.runtime.container.ContainerState.Status;
import io.jcompose.runtime.sys.HostNames;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine on the real kernel: overlay root, shim, cgroups, logs, exec, stop, remove. */
@Tag("root")
class ContainerEngineTest extends EngineOnBusybox {
    static ContainerSpec with(ContainerSpec s, String field, Object value) {
        return BundleWriterTest.with(() -> s, field, value);
    }

    String logText(String id) throws IOException {
        StringBuilder b = new StringBuilder();
        engine.logs(id, LogQuery.ALL, r -> b.append(r.line()) != null);
        return b.toString();
    }

    @Test
    void runsToCompletionWithLogsAndExitCode() throws Exception {
        String id = create(spec("sh", "-c", "echo out; echo err >&2; hostname; exit 7"));
        assertThat(engine.inspect(id).status()).isEqualTo(Status.CREATED);
        engine.start(id);
        ExitStatus e = engine.waitExit(id);
        assertThat(e.exitCode()).isEqualTo(7);
        ContainerState st = engine.inspect(id);
        assertThat(st.status()).isEqualTo(Status.EXITED);
        assertThat(st.exitCode()).isEqualTo(7);
        assertThat(st.startedAt()).isNotNull().isBeforeOrEqualTo(st.finishedAt());
        List<LogRecord> recs = new ArrayList<>();
        engine.logs(id, LogQuery.ALL, recs::add);
        assertThat(recs).extracting(LogRecord::line).contains("out\n", "err\n", ContainerIds.shortId(id) + "\n");
        assertThat(recs).filteredOn(r -> r.line().equals("err\n")).singleElement().extracting(LogRecord::stream).isEqualTo("stderr");
        List<LogRecord> tail = new ArrayList<>();
        engine.logs(id, LogQuery.ALL.withTail(1), tail::add);
        assertThat(tail).hasSize(1);
    }

    @Test
    void logRecordsEscapeAndSplitLikeDocker() throws Exception {
        String id = create(spec("sh", "-c", "printf '<a href=\"x\">&</a>\\t\\001\\n'; head -c 20000 /dev/zero | tr '\\0' x; echo; printf 'no newline'"));
        engine.start(id);
        engine.waitExit(id);
        List<String> raw = Files.readAllLines(engine.logPath(id));
        assertThat(raw.getFirst()).startsWith("{\"log\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\t\\u0001\\n\",\"stream\":\"stdout\",\"time\":\"");
        List<LogRecord> recs = new ArrayList<>();
        engine.logs(id, LogQuery.ALL, recs::add);
        assertThat(recs).hasSize(4);
        assertThat(recs.get(1).line()).hasSize(16384).doesNotContain("\n");
        assertThat(recs.get(2).line()).isEqualTo("x".repeat(20000 - 16384) + "\n");
        assertThat(recs.get(2).time()).isEqualTo(recs.get(1).time());
        assertThat(recs.get(3).line()).isEqualTo("no newline");
        assertThat(Files.getPosixFilePermissions(engine.logPath(id))).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "GROUP_READ");
    }

    @Test
    void logRotation() throws Exception {
        var s = with(spec("sh", "-c", "for i in $(seq 200); do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done"),
                "log", new ContainerSpec.LogConfig(2000L, 3));
        String id = create(s);
        engine.start(id);
        engine.waitExit(id);
        Path log = engine.logPath(id);
        assertThat(log.resolveSibling(log.getFileName() + ".1")).exists();
        assertThat(log.resolveSibling(log.getFileName() + ".2")).exists();
        assertThat(log.resolveSibling(log.getFileName() + ".3")).doesNotExist();
        String text = logText(id);
        assertThat(text).contains("line-200-").doesNotContain("line-1-");
    }

    @Test
    void startFailureReportsDockersExitCode() throws Exception {
        String id = create(spec("nosuch"));
        assertThatThrownBy(() -> engine.start(id)).isInstanceOf(ContainerException.class)
                .hasMessage("exec: \"nosuch\": executable file not found in $PATH")
                .extracting(e -> ((ContainerException) e).exitCode()).isEqualTo(127);
        ContainerState st = engine.inspect(id);
        assertThat(st.status()).isEqualTo(Status.EXITED);
        assertThat(st.exitCode()).isEqualTo(127);
        assertThat(st.error()).contains("executable file not found");
        assertThatThrownBy(() -> engine.create(ContainerSpec.of(List.of(image), List.of()))).hasMessage("no command specified");
    }

    @Test
    void stopUsesTheStopSignalThenKills() throws Exception {
        String trap = create(spec("sh", "-c", "trap 'echo bye; exit 3' TERM; while true; do sleep 0.05; done"));
        engine.start(trap);
        Thread.sleep(200);
        assertThat(engine.stop(trap, Duration.ofSeconds(10))).isTrue();
        assertThat(engine.inspect(trap).exitCode()).isEqualTo(3);
        assertThat(logText(trap)).isEqualTo("bye\n");
        assertThat(engine.stop(trap, null)).isFalse();

        // pid 1 without a handler ignores SIGTERM: stop waits the grace period, then SIGKILL → 137
        String deaf = create(spec("sleep", "100"));
        engine.start(deaf);
        long t0 = System.nanoTime();
        engine.stop(deaf, Duration.ofMillis(500));
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(engine.inspect(deaf).exitCode()).isEqualTo(137);
    }

    @Test
    void initForwardsSignalsAndReaps() throws Exception {
        String id = create(with(spec("sh", "-c", "sleep 100 & sleep 100; echo never"), "init", true));
        engine.start(id);
        Thread.sleep(200);
        engine.stop(id, Duration.ofSeconds(5));
        // sh gets SIGTERM from init and dies of it: 128+15, well before the grace period
        assertThat(engine.inspect(id).exitCode()).isEqualTo(143);
    }

    @Test
    void execRunsInsideWithTheContainersIdentity() throws Exception {
        String id = create(with(spec("sleep", "100"), "env", List.of("FOO=bar")));
        engine.start(id);
        Process p = engine.exec(id, new ExecSpec(List.of("sh", "-c", "echo $$ $FOO $(hostname) $(id -u); exit 5"),
                List.of("X=1"), null, "/tmp", false, false)).process();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(5);
        assertThat(out.strip()).matches("\\d+ bar " + ContainerIds.shortId(id) + " 0");
        Process nobody = engine.exec(id, new ExecSpec(List.of("id", "-u"), null, "nobody", null, false, false)).process();
        assertThat(new String(nobody.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("65534");
        Process missing = engine.exec(id, ExecSpec.of("nosuch")).process();
        assertThat(missing.waitFor()).isEqualTo(127);
        assertThat(new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("executable file not found");
        ExecProcess tty = engine.exec(id, new ExecSpec(List.of("sh", "-c", "sleep 0.5; stty size; tty"), null, null, null, true, false));
        tty.process().getOutputStream().close();
        Thread.sleep(100);
        tty.resize(30, 90);
        String ttyOut = new String(tty.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tty.waitFor()).isZero();
        assertThat(ttyOut).matches("30 90\r\n/dev/pts/[0-9]+\r\n");
    }

    @Test
    void pauseAndUnpause() throws Exception {
        String id = create(spec("sleep", "100"));
        engine.start(id);
        engine.pause(id);
        assertThat(engine.inspect(id).status()).isEqualTo(Status.PAUSED);
        engine.unpause(id);
        assertThat(engine.inspect(id).status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aRestartedEngineReattaches() throws Exception {
        String id = create(spec("sh", "-c", "trap 'exit 9' TERM; while true; do echo tick; sleep 0.1; done"));
        engine.start(id);
        ContainerEngine again = new ContainerEngine(dataRoot, runRoot, Busybox.shim());
        ContainerState st = again.inspect(id);
        assertThat(st.status()).isEqualTo(Status.RUNNING);
        assertThat(st.pid()).isPositive();
        assertThat(again.list()).contains(id);
        Thread.sleep(300);
        assertThat(logText(id)).contains("tick\n");
        again.kill(id, Signals.SIGTERM);
        assertThat(again.waitExit(id).exitCode()).isEqualTo(9);
    }

    @Test
    void followStreamsUntilExit() throws Exception {
        String id = create(spec("sh", "-c", "for i in 1 2 3; do echo $i; sleep 0.1; done"));
        engine.start(id);
        List<String> lines = new ArrayList<>();
        engine.logs(id, LogQuery.ALL.withFollow(true), r -> lines.add(r.line()));
        assertThat(lines).containsExactly("1\n", "2\n", "3\n");
    }

    @Test
    void attachSocketCarriesStdinAndFramedOutput() throws Exception {
        String id = create(with(spec("sh", "-c", "read l; echo got:$l; read l2; echo again:$l2"), "openStdin", true));
        engine.start(id);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(engine.attachSocket(id)))) {
            ch.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer hdr = ByteBuffer.allocate(8);
            while (hdr.hasRemaining()) ch.read(hdr);
            assertThat(hdr.get(0)).isEqualTo((byte) 1);
            ByteBuffer body = ByteBuffer.allocate(hdr.getInt(4));
            while (body.hasRemaining()) ch.read(body);
            assertThat(new String(body.array(), StandardCharsets.UTF_8)).isEqualTo("got:hello\n");
            ch.write(ByteBuffer.wrap("x\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(engine.waitExit(id).exitCode()).isZero();
        assertThat(logText(id)).isEqualTo("got:hello\nagain:x\n");
    }

    @Test
    void forkBombIsContainedByThePidsLimit() throws Exception {
        // only builtins after the loop: once the limit is reached, nothing more can fork
        // the bomb runs in a subshell (ash gives up when a fork fails); pid 1 then blocks on a fifo with builtins only
        String id = create(with(spec("sh", "-c", "mkfifo /tmp/f; (for i in $(seq 100); do sleep 30 & done) 2>/dev/null; "
                        + "echo started; read x < /tmp/f"),
                "resources", Resources.NONE.withPidsLimit(20L)));
        engine.start(id);
        Path pidsCurrent = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                ? Path.of("/sys/fs/cgroup", engine.cgroupParent(), id, "pids.current")
                : Path.of("/sys/fs/cgroup/pids", engine.cgroupParent(), id, "pids.current");
        for (int i = 0; i < 100 && !logText(id).contains("started"); i++) Thread.sleep(50);
        assertThat(logText(id)).startsWith("started");
        assertThat(Long.parseLong(Files.readString(pidsCurrent).strip())).isBetween(10L, 20L);
        Process ps = engine.exec(id, ExecSpec.of("true")).process();
        assertThat(ps.waitFor()).as("no room for an exec either").isNotZero();
        // still manageable: remove -f takes everything down
        engine.remove(id, true);
        assertThat(pidsCurrent).doesNotExist();
    }

    @Test
    void eachContainerHasItsOwnCgroupInEveryControllerUnderTheEnginesParent() throws Exception {
        String parent = engine.cgroupParent();
        assertThat(parent).isEqualTo(HostNames.forDataRoot(dataRoot).cgroupParent()).startsWith("jcompose-");
        var limited = new Resources(null, null, null, 512L, 50_000L, 100_000L, null, null, null, null);
        String a = create(with(spec("sleep", "60"), "resources", limited));
        String b = create(spec("sleep", "60"));
        engine.start(a);
        engine.start(b);
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        // read from the host's cgroup namespace: full paths, one line per hierarchy
        List<String> lines = Files.readAllLines(Path.of("/proc/" + engine.inspect(a).pid() + "/cgroup"));
        if (v2) {
            assertThat(lines).contains("0::/" + parent + "/" + a);
            assertThat(Files.readString(Path.of("/sys/fs/cgroup", parent, a, "cpu.max")).strip()).isEqualTo("50000 100000");
        } else {
            for (String controller : List.of("cpu", "cpuacct", "memory", "pids", "devices", "freezer", "blkio", "cpuset")) {
                assertThat(lines).as("hierarchy " + controller)
                        .anyMatch(l -> List.of(l.split(":")[1].split(",")).contains(controller) && l.endsWith(":/" + parent + "/" + a));
            }
            Path cpu = Path.of("/sys/fs/cgroup/cpu", parent);
            assertThat(Files.readString(cpu.resolve(a).resolve("cpu.shares")).strip()).isEqualTo("512");
            assertThat(Files.readString(cpu.resolve(a).resolve("cpu.cfs_quota_us")).strip()).isEqualTo("50000");
            assertThat(Files.readString(cpu.resolve(b).resolve("cpu.shares")).strip()).as("the other container's own default").isEqualTo("1024");
            assertThat(Files.readAllLines(cpu.resolve(b).resolve("cgroup.procs"))).containsExactly(String.valueOf(engine.inspect(b).pid()));
        }
        List<Path> hierarchies;
        try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
            hierarchies = v2 ? List.of(Path.of("/sys/fs/cgroup")) : dirs.filter(Files::isDirectory).toList();
        }
        engine.remove(a, true);
        for (Path h : hierarchies) assertThat(h.resolve(parent).resolve(a)).doesNotExist();
        assertThat(Path.of(v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/cpu", parent, b)).as("the other container stays").isDirectory();
        engine.remove(b, true);
        for (Path h : hierarchies) assertThat(h.resolve(parent)).as("the engine's empty parent goes").doesNotExist();
    }

    @Test
    void memoryHogIsOomKilledAndReported() throws Exception {
        var s = with(spec("dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"), "resources",
                Resources.NONE.withMemory(32L << 20));
        String id = create(s);
        engine.start(id);
        ExitStatus e = engine.waitExit(id);
        assertThat(e.exitCode()).isEqualTo(137);
        assertThat(e.oomKilled()).isTrue();
        assertThat(engine.inspect(id).oomKilled()).isTrue();
    }

    /** Not running: no such process, or a zombie waiting for its parent. */
    static boolean gone(int pid) {
        return !status(pid).contains("State:\t") || status(pid).contains("State:\tZ");
    }

    static String status(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/status"));
        } catch (IOException e) {
            return "gone";
        }
    }

    @Test
    void removeLeavesNothingBehind() throws Exception {
        String id = create(spec("sleep", "100"));
        engine.start(id);
        int shimPid = Integer.parseInt(Files.readString(engine.stateDir(id).resolve("shim.pid")).strip());
        int pid = engine.inspect(id).pid();
        assertThatThrownBy(() -> engine.remove(id, false)).hasMessageContaining("container is running");
        engine.remove(id, true);
        assertThat(dataRoot.resolve("containers/" + id)).doesNotExist();
        // the monitor has exited; its parent (pid 1 of the machine) may take a moment to reap it
        assertThat(gone(shimPid)).as(() -> status(shimPid)).isTrue();
        assertThat(gone(pid)).as(() -> status(pid)).isTrue();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(id);
        try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : dirs.toList()) assertThat(h.resolve(engine.cgroupParent()).resolve(id)).doesNotExist();
        }
        assertThatThrownBy(() -> engine.inspect(id)).isInstanceOf(ContainerException.NotFound.class);
    }

    /**
     * The removal's cgroup work is done in the daemon (no {@code jcompose-shim delete}): with the
     * monitor killed, a paused container's processes are still in its cgroups; a forced removal
     * thaws and kills them and removes every directory, and leaves no mount.
     */
    @Test
    void removeOfAPausedContainerWhoseMonitorDiedKillsWhatIsLeftAndRemovesItsCgroups() throws Exception {
        String id = create(spec("sh", "-c", "sleep 100 & sleep 100"));
        engine.start(id);
        int pid = engine.inspect(id).pid();
        int shimPid = Integer.parseInt(Files.readString(engine.stateDir(id).resolve("shim.pid")).strip());
        engine.pause(id);
        io.jcompose.runtime.sys.Libc.kill(shimPid, Signals.SIGKILL); // the monitor dies; the frozen container lives on
        for (int i = 0; i < 100 && !gone(shimPid); i++) Thread.sleep(20);
        assertThat(gone(shimPid)).as(() -> status(shimPid)).isTrue();
        assertThat(gone(pid)).as("the container outlives its monitor").isFalse();
        List<Path> cgroups;
        try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
            List<Path> hierarchies = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? List.of(Path.of("/sys/fs/cgroup")) : dirs.toList();
            cgroups = hierarchies.stream().map(h -> h.resolve(engine.cgroupParent()).resolve(id)).filter(Files::isDirectory).toList();
        }
        assertThat(cgroups).as("the container's cgroups").isNotEmpty();
        engine.remove(id, true);
        for (int i = 0; i < 100 && !gone(pid); i++) Thread.sleep(20); // killed; its reaper (pid 1 of the machine) may take a moment
        assertThat(gone(pid)).as(() -> status(pid)).isTrue();
        for (Path c : cgroups) assertThat(c).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(id);
        assertThat(dataRoot.resolve("containers/" + id)).doesNotExist();
        assertThat(engine.stateDir(id)).doesNotExist();
    }

    @Test
    void writesGoToTheContainersUpperLayerOnly() throws Exception {
        String id = create(spec("sh", "-c", "echo changed > /etc/motd; rm /bin/ls; cat /etc/motd"));
        engine.start(id);
        assertThat(engine.waitExit(id).exitCode()).isZero();
        assertThat(logText(id)).isEqualTo("changed\n");
        assertThat(image.resolve("etc/motd")).doesNotExist();
        assertThat(image.resolve("bin/ls")).exists();
        assertThat(dataRoot.resolve("containers/" + id + "/diff/etc/motd")).hasContent("changed");
    }

    @Test
    void joinsAGivenNetworkNamespaceAndBindsEtcFiles() throws Exception {
        String ns = "jc-t" + Long.toHexString(System.nanoTime() & 0xffffffL);
        assertThat(new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor()).isZero();
        try {
            new ProcessBuilder("ip", "-n", ns, "link", "set", "lo", "up").inheritIO().start().waitFor();
            Path hosts = Files.writeString(dataRoot.resolve("hosts"), "127.0.0.1\tlocalhost\n10.9.8.7\tweb\n");
            Path hostname = Files.writeString(dataRoot.resolve("hostname"), "web\n");
            var s = with(with(spec("sh", "-c", "cat /etc/hosts /etc/hostname; readlink /proc/self/ns/net; ip link | grep -c UP"),
                    "network", new ContainerSpec.NamespaceMode.Join(Path.of("/run/netns", ns))),
                    "etcFiles", new ContainerSpec.EtcFiles(hosts, hostname, null));
            String id = create(s);
            engine.start(id);
            assertThat(engine.waitExit(id).exitCode()).isZero();
            String inode = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            long nsInode = (long) Files.getAttribute(Path.of("/run/netns", ns), "unix:ino");
            assertThat(logText(id)).startsWith("127.0.0.1\tlocalhost\n10.9.8.7\tweb\nweb\nnet:[" + nsInode + "]\n1\n")
                    .doesNotContain(inode);
        } finally {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
    }

    @Test
    void joinsAnotherContainersPidAndIpcNamespaces() throws Exception {
        String a = create(with(spec("sh", "-c", "echo from-a > /dev/shm/note; mkfifo /tmp/f; read x < /tmp/f"),
                "ipc", new ContainerSpec.NamespaceMode.Shareable()));
        engine.start(a);
        int pidA = engine.inspect(a).pid();
        for (int i = 0; i < 100 && !Files.exists(Path.of("/proc/" + pidA + "/root/tmp/f")); i++) Thread.sleep(20);
        var s = with(with(spec("sh", "-c", "ps -o pid,args | grep -c 'read\\|mkfifo\\|sh -c mkfifo'; cat /dev/shm/note; readlink /proc/1/ns/ipc"),
                "pid", new ContainerSpec.NamespaceMode.Join(Path.of("/proc/" + pidA + "/ns/pid"))),
                "ipc", new ContainerSpec.NamespaceMode.Container(a));
        String b = create(s);
        engine.start(b);
        assertThat(engine.waitExit(b).exitCode()).isZero();
        String ipcA = Files.readSymbolicLink(Path.of("/proc/" + pidA + "/ns/ipc")).toString();
        // B sees A's pid 1 (sh -c mkfifo...), shares its ipc namespace and its /dev/shm
        assertThat(logText(b)).doesNotStartWith("0").endsWith("from-a\n" + ipcA + "\n");
        engine.remove(b, false);
        engine.remove(a, true);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(a);
        var notShareable = create(spec("sleep", "10"));
        engine.start(notShareable);
        String c = create(with(spec("true"), "ipc", new ContainerSpec.NamespaceMode.Container(notShareable)));
        assertThatThrownBy(() -> engine.start(c)).hasMessageContaining("not shareable");
        String d = create(with(spec("true"), "pid", new ContainerSpec.NamespaceMode.Container(a)));
        assertThatThrownBy(() -> engine.start(d)).hasMessageStartingWith("No such container: " + a);
    }

    @Test
    void ttyContainerCanBeResized() throws Exception {
        String id = create(with(spec("sh", "-c", "sleep 0.5; stty size; tty"), "tty", true));
        engine.start(id);
        engine.resize(id, 40, 100);
        assertThat(engine.waitExit(id).exitCode()).isZero();
        assertThat(logText(id)).isEqualTo("40 100\r\n/dev/pts/0\r\n");
    }

    @Test
    void missingBindSourceIsCreatedOnlyWhenAsked() throws Exception {
        Path src = dataRoot.resolve("made-by-start");
        var ok = with(spec("sh", "-c", "echo hi > /data/f"), "mounts",
                List.of(new ContainerSpec.MountSpec.Bind(src, "/data", false, null, true, true)));
        String id = create(ok);
        engine.start(id);
        assertThat(engine.waitExit(id).exitCode()).isZero();
        assertThat(src.resolve("f")).hasContent("hi");
        var strict = with(spec("true"), "mounts",
                List.of(new ContainerSpec.MountSpec.Bind(dataRoot.resolve("absent"), "/data", false, null, true, false)));
        String id2 = create(strict);
        assertThatThrownBy(() -> engine.start(id2)).hasMessageContaining("bind source path does not exist");
    }

    @Test
    void containersOutliveAnEngineKilledWithSigkill() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process daemon = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EngineProcessMain.class.getName(), dataRoot.toString(), runRoot.toString(), Busybox.shim().toString(), image.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String id;
        try {
            id = new String(daemon.getInputStream().readNBytes(65), StandardCharsets.UTF_8).strip();
            created.add(id);
        } finally {
            daemon.destroyForcibly(); // SIGKILL
            daemon.waitFor();
        }
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(engine.inspect(id).status()).isEqualTo(Status.RUNNING);
        long before = Files.size(engine.logPath(id));
        Thread.sleep(500);
        assertThat(Files.size(engine.logPath(id))).isGreaterThan(before);
        assertThat(engine.stop(id, Duration.ofSeconds(1))).isTrue();
        assertThat(engine.inspect(id).exitCode()).isEqualTo(137);
    }

    @Test
    void manyLongLayerPathsStillMount() throws Exception {
        // 60 layers with ~110-character paths: too long for one page of mount options without links
        List<Path> layers = new ArrayList<>();
        Path base = Files.createDirectories(dataRoot.resolve("layers"));
        for (int i = 0; i < 60; i++) {
            Path l = Files.createDirectories(base.resolve(String.format("%03d-", i) + "x".repeat(60)));
            Files.writeString(l.resolve("layer-" + i), Integer.toString(i));
            layers.add(l);
        }
        layers.add(image);
        String id = create(ContainerSpec.of(layers, List.of("sh", "-c", "cat /layer-0 /layer-59")));
        engine.start(id);
        assertThat(engine.waitExit(id).exitCode()).isZero();
        assertThat(logText(id)).isEqualTo("059");
    }

    @Test
    void seccompProfileAppliesToTheContainerAndItsExecs() throws Exception {
        Path profile = Files.writeString(dataRoot.resolve("profile.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}""");
        String id = create(spec("sh", "-c", "mkdir /a 2>&1; sleep 100").toBuilder().seccompProfile(profile).build());
        engine.start(id);
        ExecProcess e = engine.exec(id, ExecSpec.of("mkdir", "/b"));
        assertThat(e.waitFor()).isEqualTo(1);
        assertThat(new String(e.process().getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Operation not permitted");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> logText(id).contains("Operation not permitted"));
        assertThatThrownBy(() -> engine.create(spec("true").toBuilder().seccompProfile(dataRoot.resolve("nope.json")).build()))
                .hasMessageContaining("opening seccomp profile");
    }
}
