package io.jcompose.runtime.container;

import io.jcompose.runtime.sys.Errno;
import io.jcompose.runtime.sys.HostNames;
import io.jcompose.runtime.sys.Libc;
import io.jcompose.runtime.sys.SyscallException;

import io.jcompose.runtime.container.ContainerState.Status;
import io.jcompose.runtime.container.UserResolver.ResolvedUser;
import io.jcompose.runtime.container.oci.OciSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process side of the container engine, the facade the daemon calls. Every container lives
 * in {@code <dataRoot>/containers/<id>/}: {@code container.json} (the spec), {@code bundle/}
 * (config.json), {@code rootfs/} (overlay mount point), {@code diff/} and {@code work/}
 * (overlay upper and work) and {@code <id>-json.log}; its run state, written by the shim (pid,
 * exit, attach.sock …), is in {@code <runRoot>/<id>/} — short enough for a unix socket path,
 * and gone after a reboot as the processes are. Nothing is kept in memory: a new engine on the
 * same roots sees running containers as they are (re-attach).
 *
 * <p>Calls for different containers may run concurrently; the caller (the daemon) serialises
 * lifecycle calls for one container.
 */
public final class ContainerEngine {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final java.util.regex.Pattern FULL_ID = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final Path containers;
    private final Path runRoot;
    private final Shim shim;
    private final BundleWriter writer;
    private final boolean cgroupV2;
    /** This engine's cgroup parent in every hierarchy, removed when its last container goes. */
    private final CgroupParents cgroupParents;
    private final StateDirWatcher stateWatcher = new StateDirWatcher();
    /** Records read from {@code container.json}, by id (see {@link #record}). */
    private final java.util.Map<String, ContainerRecord> parsedRecords = new java.util.concurrent.ConcurrentHashMap<>();

    /** The persisted part of a container. */
    record ContainerRecord(String id, Instant created, ContainerSpec spec) {}

    /**
     * @param dataRoot   engine data root ({@code /var/lib/jcompose}; tests: a temp dir)
     * @param runRoot    run state root ({@code /run/jcompose/containers}; tests: a short temp dir):
     *                   {@code <runRoot>/<64 hex>/attach.sock} must fit a unix socket path (107 bytes)
     * @param shimBinary the {@code jcompose-shim} executable
     */
    public ContainerEngine(Path dataRoot, Path runRoot, Path shimBinary) throws IOException {
        this(dataRoot, runRoot, shimBinary, io.jcompose.runtime.sys.HostTags.host().claim(dataRoot)); // the tag names its cgroup parent
    }

    /**
     * As above, with the kernel object names of an engine whose data root may be another
     * (the builder's containers live under the daemon's cgroup parent).
     */
    public ContainerEngine(Path dataRoot, Path runRoot, Path shimBinary, HostNames names) throws IOException {
        this.containers = dataRoot.resolve("containers");
        this.runRoot = runRoot.toAbsolutePath();
        if (this.runRoot.toString().length() + 65 + "/attach.sock".length() > 107)
            throw new IllegalArgumentException("run root " + runRoot + " is too long for unix socket paths (at most "
                    + (107 - 65 - "/attach.sock".length()) + " characters)");
        Files.createDirectories(containers);
        Files.createDirectories(this.runRoot);
        this.shim = new Shim(shimBinary);
        this.cgroupV2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        this.cgroupParents = CgroupParents.forHost(names.cgroupParent());
        CgroupParents.forHost(CgroupParents.LEGACY_NAME).removeIfEmpty(); // older engines' shared parent, once unused
        this.writer = new BundleWriter(cgroupV2, names.cgroupParent());
    }

    /** With the shim found by {@code -Djcompose.shim}, {@code JCOMPOSE_SHIM} or the build directory. */
    public static ContainerEngine open(Path dataRoot, Path runRoot) throws IOException {
        return new ContainerEngine(dataRoot, runRoot, Shim.locate().binary());
    }

    /** As {@link #open(Path, Path)}, with another engine's names (see the constructor). */
    public static ContainerEngine open(Path dataRoot, Path runRoot, HostNames names) throws IOException {
        return new ContainerEngine(dataRoot, runRoot, Shim.locate().binary(), names);
    }

    /** The cgroup parent every container of this engine is under ({@code jcompose-<tag>}). */
    public String cgroupParent() {
        return cgroupParents.name();
    }

    /**
     * The cgroup parent of one container: the engine's, or the older engines' shared
     * {@code jcompose} for a container that kept running across the upgrade to per-engine names.
     */
    public String cgroupParentOf(String id) {
        Path root = cgroupV2 ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup/freezer");
        return !Files.isDirectory(root.resolve(cgroupParent()).resolve(id)) && Files.isDirectory(root.resolve(CgroupParents.LEGACY_NAME).resolve(id))
                ? CgroupParents.LEGACY_NAME : cgroupParent();
    }

    // ---- lifecycle --------------------------------------------------------------------------

    /** Records a new container (nothing runs, nothing is mounted yet). */
    public String create(ContainerSpec spec) throws IOException {
        return create(ContainerIds.newId(), spec);
    }

    /**
     * Records a new container under an id the caller chose ({@link ContainerIds#newId()}): the
     * daemon needs the id before the spec is final (the netns path {@code jc-<id>} is in it).
     */
    public String create(String id, ContainerSpec spec) throws IOException {
        ProcessArgs.resolve(spec.image().entrypoint(), spec.image().cmd(), spec.entrypoint(), spec.command());
        BundleWriter.validate(spec);
        if (spec.seccompProfile() != null && !spec.seccompProfile().equals(ContainerSpec.SECCOMP_UNCONFINED)) {
            if (!Files.isReadable(spec.seccompProfile()))
                throw new IllegalArgumentException("opening seccomp profile (" + spec.seccompProfile() + ") failed: no such file");
            io.jcompose.runtime.container.seccomp.SeccompProfile.read(spec.seccompProfile()); // a bad profile fails the create, as in Docker
        }
        if (!id.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("container id must be 64 hex characters: " + id);
        // the directory may hold files the caller put there first (a seccomp profile): the record is what exists
        if (Files.exists(containers.resolve(id).resolve("container.json"))) throw new ContainerException("container " + id + " already exists");
        Path dir = containers.resolve(id);
        Files.createDirectories(dir);
        writeAtomic(dir.resolve("container.json"), JSON.writeValueAsBytes(new ContainerRecord(id, Instant.now(), spec)));
        return id;
    }

    /**
     * Mounts the root, writes the bundle and starts the process through the shim; returns once
     * the program has been exec'd.
     *
     * @throws ContainerException with Docker's exit code (126/127/128) and the shim's message
     */
    public void start(String id) throws IOException {
        ContainerRecord rec = record(id);
        if (inspect(id).running()) throw new ContainerException("container " + id + " is already running");
        Path dir = containers.resolve(id), state = stateDir(id), rootfs = dir.resolve("rootfs");
        clearState(state);
        ContainerSpec spec = rec.spec();
        for (var m : spec.mounts()) {
            if (!(m instanceof ContainerSpec.MountSpec.Bind b) || Files.exists(b.source())) continue;
            if (!b.createHostPath()) {
                String msg = "invalid mount config for type \"bind\": bind source path does not exist: " + b.source();
                recordFailedStart(state, 128, msg);
                throw new ContainerException(msg, 128);
            }
            Files.createDirectories(b.source());
        }
        Overlay.mount(spec.lowerDirs(), dir.resolve("diff"), dir.resolve("work"), rootfs, containers.resolveSibling("l"));
        ResolvedUser user;
        List<String> args;
        try {
            user = UserResolver.resolve(rootfs, spec.user() != null ? spec.user() : spec.image().user(), spec.groupAdd());
            args = ProcessArgs.resolve(spec.image().entrypoint(), spec.image().cmd(), spec.entrypoint(), spec.command());
        } catch (IllegalArgumentException e) {
            recordFailedStart(state, 128, e.getMessage());
            throw new ContainerException(e.getMessage(), 128);
        }
        OciSpec oci;
        try {
            Path shm = sharedShm(id, spec);
            oci = writer.build(id, resolveNamespaces(spec), rootfs, user, args, shm);
        } catch (ContainerException e) {
            recordFailedStart(state, 128, e.getMessage());
            throw new ContainerException(e.getMessage(), 128);
        }
        BundleWriter.write(dir.resolve("bundle"), oci);
        Files.writeString(state.resolve("process.json"), BundleWriter.toJson(oci.process()));
        List<String> cmd = new ArrayList<>(List.of("run", "--bundle", dir.resolve("bundle").toString(),
                "--state", state.toString(), "--log", logPath(id).toString()));
        if (spec.log().maxSizeBytes() != null) cmd.addAll(List.of("--log-max-size", spec.log().maxSizeBytes().toString()));
        cmd.addAll(List.of("--log-max-file", Integer.toString(spec.log().maxFile())));
        if (spec.openStdin()) cmd.add("--stdin");
        if (spec.stdinOnce()) cmd.add("--stdin-once");
        if (spec.init()) cmd.add("--init");
        Shim.Result r = shim.run(cmd);
        if (r.exitCode() != 0) {
            String msg = r.stderr().isEmpty() ? "jcompose-shim exited with " + r.exitCode() : r.stderr();
            recordFailedStart(state, r.exitCode(), msg);
            throw new ContainerException(msg, r.exitCode());
        }
    }

    /**
     * Sends a signal to the container's process (Docker's {@code kill}; default SIGKILL). A paused
     * container is thawed after SIGKILL or its stop signal, as moby's {@code killWithSignal} does, so
     * the signal is delivered (on cgroup v1 a frozen task does not even die of SIGKILL); other
     * signals stay pending and the container stays paused.
     */
    public void kill(String id, int signal) throws IOException {
        ContainerSpec spec = record(id).spec();
        Running run = running(id).orElseThrow(() -> new ContainerException("Container " + id + " is not running", 0));
        try {
            Libc.kill(run.pid(), signal);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH) throw new IOException(e.getMessage(), e);
            return;
        }
        if ((signal == Signals.SIGKILL || signal == stopSignal(spec)) && paused(id)) shimCgroup("resume", id);
    }

    /** The container's stop signal: its own, else the image's, else SIGTERM. */
    private static int stopSignal(ContainerSpec spec) {
        String name = spec.stopSignal() != null ? spec.stopSignal() : spec.image().stopSignal();
        try {
            return name != null ? Signals.parse(name) : Signals.SIGTERM;
        } catch (IllegalArgumentException e) {
            return Signals.SIGTERM;
        }
    }

    /**
     * Docker's stop: the stop signal, up to {@code timeout} (null: the container's, else 10 s;
     * negative: forever) for the exit, then SIGKILL.
     *
     * @return false when the container was not running (HTTP 304 in the API)
     */
    public boolean stop(String id, Duration timeout) throws IOException {
        ContainerSpec spec = record(id).spec();
        if (running(id).isEmpty()) return false;
        int sig = stopSignal(spec);
        Duration grace = timeout != null ? timeout
                : Duration.ofSeconds(spec.stopTimeoutSeconds() != null ? spec.stopTimeoutSeconds() : DockerDefaults.STOP_TIMEOUT_SECONDS);
        boolean sent = true;
        try {
            if (sig != Signals.SIGKILL) kill(id, sig);
        } catch (IOException | ContainerException e) {
            sent = false;
        }
        if (sig != Signals.SIGKILL) {
            Duration wait = !sent ? Duration.ofSeconds(2) : grace.isNegative() ? null : grace;
            if (waitFor(id, wait).isPresent()) return true;
        }
        try {
            kill(id, Signals.SIGKILL);
        } catch (ContainerException notRunning) {
            return true;
        }
        waitFor(id, null);
        return true;
    }

    /** Blocks until the container's process has exited (returns at once if it is not running). */
    public ExitStatus waitExit(String id) throws IOException {
        return waitFor(id, null).orElseThrow();
    }

    /**
     * Waits at most {@code timeout} (null: forever) for the exit: inotify on the state directory
     * (one instance for all waits, {@link StateDirWatcher})
     * (the shim renames {@code exit} into place), with a slow re-check in case the monitor died.
     */
    public Optional<ExitStatus> waitFor(String id, Duration timeout) throws IOException {
        record(id);
        Path state = stateDir(id);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        if (!Files.isDirectory(state)) Files.createDirectories(state); // (on an existing one it throws and catches inside)
        try (StateDirWatcher.Watch watch = stateWatcher.watch(state)) {
            while (true) {
                long mark = watch.mark();
                Optional<ExitStatus> exit = readExit(state);
                if (exit.isPresent()) return exit;
                if (running(id).isEmpty()) {
                    exit = readExit(state);
                    return Optional.of(exit.orElseGet(() -> new ExitStatus(0, 0, false, null)));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return Optional.empty();
                watch.awaitAfter(mark, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for container " + id, e);
        }
    }

    /** Freezes every process of the container (cgroup freezer). */
    public void pause(String id) throws IOException {
        record(id);
        if (running(id).isEmpty()) throw new ContainerException("Container " + id + " is not running");
        if (paused(id)) throw new ContainerException("Container " + id + " is already paused");
        shimCgroup("pause", id);
    }

    public void unpause(String id) throws IOException {
        record(id);
        if (!paused(id)) throw new ContainerException("Container " + id + " is not paused");
        shimCgroup("resume", id);
    }

    /**
     * Removes the container: refuses a running one unless {@code force} (then SIGKILL), then
     * removes its cgroups, unmounts its root and deletes its directory.
     */
    public void remove(String id, boolean force) throws IOException {
        record(id);
        Path dir = containers.resolve(id);
        if (running(id).isPresent()) {
            if (!force) throw new ContainerException("cannot remove container \"" + id
                    + "\": container is running: stop the container before removing or force remove");
            if (paused(id)) shimCgroup("resume", id);
            kill(id, Signals.SIGKILL);
            waitFor(id, Duration.ofSeconds(10));
        }
        // the cgroups in-process, as `jcompose-shim delete` would (no process per removal); what is
        // left in them (a dead monitor's container, a fork bomb) is killed there
        String cgroupsPath = cgroupsPath(dir.resolve("bundle/config.json"));
        if (cgroupsPath != null) {
            try {
                ContainerCgroups.destroy(cgroupParents.roots(), cgroupsPath);
            } catch (IOException e) {
                throw new ContainerException("removing container " + id + ": " + e.getMessage());
            }
        }
        Overlay.unmount(dir.resolve("rootfs"));
        Overlay.unmount(dir.resolve("shm"));
        deleteTree(stateDir(id));
        deleteTree(dir);
        parsedRecords.remove(id);
        cgroupParents.removeIfEmpty(); // the engine's last container takes the parent with it
    }

    // ---- state ------------------------------------------------------------------------------

    /** All containers under the data root. */
    public List<String> list() throws IOException {
        try (Stream<Path> s = Files.list(containers)) {
            return s.filter(p -> Files.exists(p.resolve("container.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The spec the container was created with. */
    public ContainerSpec spec(String id) throws IOException {
        return record(id).spec();
    }

    /**
     * The host directory of the container's root filesystem, mounting its overlay if it is not
     * mounted yet (a container never started): {@code docker cp} reads and writes created and
     * stopped containers too. The mount stays until the container is removed, as after a start.
     */
    public Path mountRoot(String id) throws IOException {
        ContainerSpec spec = record(id).spec();
        Path dir = containers.resolve(id), rootfs = dir.resolve("rootfs");
        Overlay.mount(spec.lowerDirs(), dir.resolve("diff"), dir.resolve("work"), rootfs, containers.resolveSibling("l"));
        return rootfs;
    }

    public Instant created(String id) throws IOException {
        return record(id).created();
    }

    /** The state as the shim's files tell it. */
    public ContainerState inspect(String id) throws IOException {
        record(id);
        Path state = stateDir(id);
        Instant started = null;
        JsonNode st = readJson(state.resolve("started.json"));
        if (st != null) started = Instant.parse(st.get("startedAt").asString());
        Optional<Running> run = running(id);
        if (run.isPresent()) {
            return new ContainerState(paused(id) ? Status.PAUSED : Status.RUNNING, run.get().pid(), 0, false, "", started, null);
        }
        JsonNode exit = readJson(state.resolve("exit"));
        if (exit == null) {
            if (started != null) // monitor gone without a record: it was killed
                return new ContainerState(Status.EXITED, 0, 255, false, "jcompose-shim died", started, null);
            return new ContainerState(Status.CREATED, 0, 0, false, "", null, null);
        }
        ExitStatus e = toExit(exit);
        String err = exit.has("error") ? exit.get("error").asString() : "";
        return new ContainerState(Status.EXITED, 0, e.exitCode(), e.oomKilled(), err, started, e.finishedAt());
    }

    /** The container's overlay upper directory: what it changed in its root (a build step's layer). */
    public Path upperDir(String id) {
        return containers.resolve(id).resolve("diff");
    }

    /** Path of the json-file log. */
    public Path logPath(String id) {
        return containers.resolve(id).resolve(id + "-json.log");
    }

    /** Streams log records to {@code sink} (false stops); with follow, until the container exits. */
    public void logs(String id, LogQuery query, Predicate<LogRecord> sink) throws IOException {
        record(id);
        JsonFileLogs.read(logPath(id), query, () -> {
            try {
                return running(id).isPresent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, sink);
    }

    /** The unix socket serving live output and stdin of a running container (docs/shim.md). */
    public Path attachSocket(String id) {
        return stateDir(id).resolve("attach.sock");
    }

    /** Sets the size of a tty container's terminal ({@code docker attach}/{@code run -it} resize). */
    public void resize(String id, int rows, int cols) throws IOException {
        control(id, "resize " + rows + " " + cols);
    }

    /** Closes the container's stdin (the attach client's end of input). */
    public void closeStdin(String id) throws IOException {
        control(id, "close-stdin");
    }

    private void control(String id, String command) throws IOException {
        record(id);
        if (running(id).isEmpty()) throw new ContainerException("Container " + id + " is not running");
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(stateDir(id).resolve("control.sock")))) {
            ch.write(java.nio.ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocate(128);
            while (ch.read(reply) > 0 && reply.hasRemaining()) { }
            String r = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8).strip();
            if (!r.equals("ok")) throw new ContainerException(command + ": " + r.replaceFirst("^error ", ""));
        }
    }

    /** Docker's restart: stop (with the timeout rules of {@link #stop}), then start. */
    public void restart(String id, Duration timeout) throws IOException {
        stop(id, timeout);
        start(id);
    }

    /** The shim's state directory of a container (docs/shim.md). */
    public Path stateDir(String id) {
        return runRoot.resolve(id);
    }

    /**
     * Starts a process in the running container, with the container's user, env and working
     * dir unless the spec overrides them. The returned process's stdio is the exec's (a pty
     * relayed when {@code tty}); its exit value is the exec's exit code.
     */
    public ExecProcess exec(String id, ExecSpec exec) throws IOException {
        ContainerRecord rec = record(id);
        if (running(id).isEmpty()) throw new ContainerException("container " + id + " is not running");
        if (paused(id)) throw new ContainerException("Container " + id + " is paused, unpause the container before exec");
        Path state = stateDir(id);
        OciSpec.Process base = JSON.readValue(state.resolve("process.json").toFile(), OciSpec.Process.class);
        OciSpec.User user = base.user();
        if (exec.user() != null) {
            ResolvedUser u = UserResolver.resolve(containers.resolve(id).resolve("rootfs"), exec.user(), rec.spec().groupAdd());
            user = new OciSpec.User(u.uid(), u.gid(), u.additionalGids(), null);
        }
        List<String> env = new ArrayList<>(base.env());
        env.addAll(exec.env());
        if (exec.tty() && env.stream().noneMatch(e -> e.startsWith("TERM="))) env.add("TERM=xterm");
        List<String> all = BundleWriter.hostCapabilities();
        var caps = exec.privileged() ? new OciSpec.Capabilities(all, all, null, all, null) : base.capabilities();
        var proc = new OciSpec.Process(exec.tty(), user, exec.cmd(), Environment.overlay(env),
                exec.workingDir() != null ? exec.workingDir() : base.cwd(), caps, null, base.noNewPrivileges(), null);
        Path file = state.resolve("exec-" + UUID.randomUUID() + ".json");
        Files.writeString(file, BundleWriter.toJson(proc));
        List<String> cmd = new ArrayList<>(List.of("exec", "--state", state.toString(), "--process", file.toString()));
        // beside the containers' dirs, not in them: <runRoot>/<id>/… would not fit a socket path
        Path control = exec.tty() ? runRoot.resolve("exec-" + UUID.randomUUID().toString().substring(0, 13) + ".sock") : null;
        if (exec.tty()) cmd.addAll(List.of("--tty", "--control", control.toString()));
        Process p = shim.start(cmd);
        p.onExit().thenRun(() -> {
            try {
                Files.deleteIfExists(file);
                if (control != null) Files.deleteIfExists(control);
            } catch (IOException ignored) {
                // the container directory may be gone already
            }
        });
        return new ExecProcess(p, control);
    }

    // ---- internals --------------------------------------------------------------------------

    /** {@code container:x} modes become /proc/<pid of x>/ns/<type> paths; x must be running. */
    private ContainerSpec resolveNamespaces(ContainerSpec spec) throws IOException {
        var net = resolve(spec.network(), "net", "network stack");
        var ipc = resolve(spec.ipc(), "ipc", "IPC");
        var pid = resolve(spec.pid(), "pid", "PID namespace");
        if (net == spec.network() && ipc == spec.ipc() && pid == spec.pid()) return spec;
        return spec.toBuilder().network(net).ipc(ipc).pid(pid).build();
    }

    private ContainerSpec.NamespaceMode resolve(ContainerSpec.NamespaceMode mode, String type, String what) throws IOException {
        if (!(mode instanceof ContainerSpec.NamespaceMode.Container(String other))) return mode;
        record(other);
        Running run = running(other).orElseThrow(() ->
                new ContainerException("cannot join " + what + " of a non running container: " + other));
        return new ContainerSpec.NamespaceMode.Join(Path.of("/proc/" + run.pid() + "/ns/" + type));
    }

    /**
     * ipc shareable: a tmpfs on the host side ({@code <container>/shm}) so others can bind it;
     * ipc container:x: x's. Null for a private /dev/shm.
     */
    private Path sharedShm(String id, ContainerSpec spec) throws IOException {
        if (spec.ipc() instanceof ContainerSpec.NamespaceMode.Container(String other)) {
            if (!(record(other).spec().ipc() instanceof ContainerSpec.NamespaceMode.Shareable))
                throw new ContainerException("cannot join IPC of container " + other + ": it is not shareable (ipc: shareable)");
            return containers.resolve(other).resolve("shm");
        }
        if (!(spec.ipc() instanceof ContainerSpec.NamespaceMode.Shareable)) return null;
        Path shm = containers.resolve(id).resolve("shm");
        Files.createDirectories(shm);
        if (!Overlay.isMountPoint(shm)) {
            long size = spec.shmSize() != null && spec.shmSize() > 0 ? spec.shmSize() : DockerDefaults.SHM_SIZE;
            try {
                Libc.mount("shm", shm.toString(), "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, "mode=1777,size=" + size);
            } catch (SyscallException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return shm;
    }

    private record Running(int pid, int shimPid) {}

    /**
     * The record, parsed once: it never changes after {@link #create} (a stop and remove read it
     * several times each). The file's existence is still checked on every call: it is what says
     * the container exists.
     */
    private ContainerRecord record(String id) throws IOException {
        if (id == null || !FULL_ID.matcher(id).matches()) throw new ContainerException.NotFound(String.valueOf(id));
        Path f = containers.resolve(id).resolve("container.json");
        if (!Files.exists(f)) {
            parsedRecords.remove(id);
            throw new ContainerException.NotFound(id);
        }
        ContainerRecord r = parsedRecords.get(id);
        if (r == null) {
            r = JSON.readValue(f.toFile(), ContainerRecord.class);
            parsedRecords.put(id, r);
        }
        return r;
    }

    /** Running = the shim wrote a pid, no exit yet, and the monitor is alive. */
    private Optional<Running> running(String id) throws IOException {
        Path state = stateDir(id);
        if (Files.exists(state.resolve("exit"))) return Optional.empty();
        Integer pid = readInt(state.resolve("pid")), shimPid = readInt(state.resolve("shim.pid"));
        if (pid == null || shimPid == null) return Optional.empty();
        if (!isShim(shimPid)) return Optional.empty();
        return Optional.of(new Running(pid, shimPid));
    }

    private static boolean isShim(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("jcompose-shim");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean paused(String id) {
        Path f = cgroupV2 ? Path.of("/sys/fs/cgroup", cgroupParentOf(id), id, "cgroup.freeze")
                : Path.of("/sys/fs/cgroup/freezer", cgroupParentOf(id), id, "freezer.state");
        try {
            String s = Files.readString(f).strip();
            return s.equals("1") || s.equals("FROZEN") || s.equals("FREEZING");
        } catch (IOException e) {
            return false;
        }
    }

    private void shimCgroup(String verb, String id) throws IOException {
        Shim.Result r = shim.run(List.of(verb, "--bundle", containers.resolve(id).resolve("bundle").toString()));
        if (r.exitCode() != 0) throw new ContainerException(verb + " container " + id + ": " + r.stderr());
    }

    /** The bundle's {@code linux.cgroupsPath}; null without a bundle (never started) or cgroups. */
    private static String cgroupsPath(Path config) throws IOException {
        JsonNode n = readJson(config);
        JsonNode p = n == null ? null : n.path("linux").path("cgroupsPath");
        return p != null && p.isString() && !p.asString().isEmpty() ? p.asString() : null;
    }

    private static Optional<ExitStatus> readExit(Path state) throws IOException {
        JsonNode n = readJson(state.resolve("exit"));
        return n == null ? Optional.empty() : Optional.of(toExit(n));
    }

    private static ExitStatus toExit(JsonNode n) {
        JsonNode fin = n.get("finishedAt");
        return new ExitStatus(n.get("exitCode").asInt(), n.has("signal") ? n.get("signal").asInt() : 0,
                n.has("oomKilled") && n.get("oomKilled").asBoolean(), fin == null ? null : Instant.parse(fin.asString()));
    }

    private static JsonNode readJson(Path f) throws IOException {
        try {
            return JSON.readTree(Files.readString(f));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Integer readInt(Path f) throws IOException {
        try {
            return Integer.parseInt(Files.readString(f).strip());
        } catch (NoSuchFileException | NumberFormatException e) {
            return null;
        }
    }

    private static void clearState(Path state) throws IOException {
        Files.createDirectories(state);
        for (String f : List.of("pid", "exit", "started.json", "shim.pid", "attach.sock", "control.sock", "shim.log",
                "process.json", "bundle"))
            Files.deleteIfExists(state.resolve(f));
    }

    private static void recordFailedStart(Path state, int code, String message) throws IOException {
        String json = JSON.writeValueAsString(java.util.Map.of("exitCode", code, "signal", 0, "oomKilled", false,
                "finishedAt", LogTimes.format(Instant.now()), "error", message));
        writeAtomic(state.resolve("exit"), json.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeAtomic(Path f, byte[] data) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.write(tmp, data);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Deletes a directory tree without following symlinks or crossing into another file system
     * (a still-mounted overlay root or shm tmpfs has a device of its own). The device number is
     * compared rather than mountinfo read: with many containers mountinfo is long, and reading it
     * per removal made a {@code down} of N containers O(N²) in the kernel's mountinfo formatting.
     */
    private static void deleteTree(Path dir) throws IOException {
        Object dev;
        try {
            dev = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!d.equals(dir) && !dev.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS)))
                    throw new IOException(d + " is still mounted");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // the exiting monitor removed its socket meanwhile
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
