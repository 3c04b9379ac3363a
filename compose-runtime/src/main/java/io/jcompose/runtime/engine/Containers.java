package io.jcompose.runtime.engine;

import static io.jcompose.runtime.engine.ContainerCreation.emptyToNull;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.ArchiveStat;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.ContainerStats;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ContainerTop;
import io.jcompose.runtime.api.model.EndpointSettings;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import io.jcompose.runtime.api.model.ExecStartRequest;
import io.jcompose.runtime.api.model.HostConfig;
import io.jcompose.runtime.api.model.IdResponse;
import io.jcompose.runtime.api.model.PortBinding;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.WaitResponse;
import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.api.server.ContainerOutput;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerException;
import io.jcompose.runtime.container.ContainerIds;
import io.jcompose.runtime.archive.ContainerArchives;
import io.jcompose.runtime.archive.ContainerTree;
import io.jcompose.runtime.container.ContainerState;
import io.jcompose.runtime.container.ExitStatus;
import io.jcompose.runtime.container.RestartPolicy;
import io.jcompose.runtime.container.ExecProcess;
import io.jcompose.runtime.container.ExecSpec;
import io.jcompose.runtime.container.LogQuery;
import io.jcompose.runtime.container.Signals;
import io.jcompose.runtime.image.Image;
import io.jcompose.runtime.network.EndpointSpec;
import io.jcompose.runtime.network.NetworkService;
import io.jcompose.runtime.network.NetworkState;
import io.jcompose.runtime.network.dns.HostsFile;
import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.network.ports.PortSpec;
import io.jcompose.runtime.state.ObjectLocks;
import io.jcompose.runtime.state.StateStore;
import io.jcompose.runtime.supervise.RestartListener;
import io.jcompose.runtime.supervise.RestartSupervisor;
import io.jcompose.runtime.supervise.SupervisedRuntime;
import io.jcompose.runtime.supervise.Timing;
import io.jcompose.runtime.volume.VolumeService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerBackend} on the real services: the container engine runs processes, the network
 * service gives each container its sandbox and endpoints, the volume service its volumes, the
 * image service its root layers. Docker-level records live in the state store; the shim's state
 * files are the truth about processes, so a restarted daemon re-attaches to running containers.
 */
final class Containers implements ContainerBackend {

    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);

    private final ContainerEngine engine;
    private final Images images;
    private final Networks networks;
    private final NetworkService net;
    private final VolumeService volumes;
    private final StateStore store;
    private final EventSink events;
    private final Path containersDir;
    /** Per-container locks, shared with the supervisor so its restarts and the API's stop/remove are ordered. */
    private final ObjectLocks locks = new ObjectLocks();
    private final Map<String, ContainerRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Execs execs;
    private final Health health;
    private final CgroupStats cgroupStats;
    /** Create requests into the engine's spec and the record. */
    private final ContainerCreation creation;
    /** What inspect and list show. */
    private final ContainerViews views;
    /** The one owner of restart policies: watches every started container's exit (docs/supervision.md). */
    private final RestartSupervisor supervisor;

    /** In-memory companions of a container: waiters and the monitor of its current run. */
    private static final class Live {
        final List<CompletableFuture<WaitResponse>> exitWaiters = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<WaitResponse>> removeWaiters = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> nextStart = new CompletableFuture<>();
        /** Completed when the exit of the current run has been handled (network freed, waiters answered). */
        volatile CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);
        /** Attach sessions still reading output from the log: AutoRemove waits for them. */
        final Set<CompletableFuture<Void>> attachSessions = ConcurrentHashMap.newKeySet();
    }

    Containers(ContainerEngine engine, Images images, Networks networks, VolumeService volumes, StateStore store, EventSink events,
            Path dataRoot) {
        this.engine = engine;
        this.cgroupStats = new CgroupStats(engine::cgroupParentOf);
        this.images = images;
        this.networks = networks;
        this.net = networks.service();
        this.volumes = volumes;
        this.store = store;
        this.events = events;
        this.containersDir = dataRoot.resolve("containers");
        this.creation = new ContainerCreation(engine, images, net, volumes, containersDir, this::require);
        this.execs = new Execs(engine, this);
        this.health = new Health(engine, events, store);
        this.supervisor = new RestartSupervisor(supervisedRuntime(), store, new RestartListener() {
            @Override
            public void exited(String id, ExitStatus exit, boolean restarting) {
                onExit(id, exit);
            }
        }, Timing.SYSTEM, locks);
        this.views = new ContainerViews(engine, net, records, health, supervisor, execs, containersDir, this::state);
        load();
    }

    /**
     * The supervisor's view of the engine: its start is the engine's whole start path (network,
     * health, {@code start} event) but without {@link RestartSupervisor#started}, which would reset
     * RestartCount.
     */
    private SupervisedRuntime supervisedRuntime() {
        SupervisedRuntime bare = SupervisedRuntime.of(engine);
        return new SupervisedRuntime() {
            @Override
            public ExitStatus awaitExit(String id) throws IOException, InterruptedException {
                return bare.awaitExit(id);
            }

            @Override
            public void start(String id) throws IOException {
                try (var l = lock(id)) {
                    ContainerRecord r = records.get(id);
                    if (r == null) {
                        throw new ContainerException.NotFound(id);
                    }
                    if (!state(id).running()) {
                        startLocked(r);
                    }
                } catch (EngineApiException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public ContainerState state(String id) throws IOException {
                return bare.state(id);
            }
        };
    }

    /** Daemon shutdown: nothing is restarted from now on; the containers keep running. */
    void close() {
        supervisor.close();
        health.closeAll();
    }

    /** The container's stop signal: a kill with it cancels a restart like SIGKILL does. */
    private static int stopSignalOf(ContainerRecord r) {
        String sig = r.config().stopSignal();
        try {
            return sig == null || sig.isEmpty() ? Signals.SIGTERM : Signals.parse(sig);
        } catch (IllegalArgumentException e) {
            return Signals.SIGTERM;
        }
    }

    private static RestartPolicy policyOf(ContainerRecord r) {
        HostConfig.RestartPolicy p = r.hostConfig().restartPolicy();
        if (p == null || p.name() == null) {
            return new RestartPolicy.No();
        }
        boolean limited = p.name().equals("on-failure") && p.maximumRetryCount() != null && p.maximumRetryCount() > 0;
        return RestartPolicy.parse(limited ? "on-failure:" + p.maximumRetryCount() : p.name());
    }

    /** A held per-container lock: calls on one container are serialised, different containers proceed in parallel. */
    private ObjectLocks.Held lock(String id) {
        return locks.hold(id);
    }

    // ------------------------------------------------------------------ load / re-attach

    /** Loads records; containers still running get a monitor again; dead ones lose their sandbox. */
    private void load() {
        List<String> known;
        try {
            known = engine.list();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list containers: " + e.getMessage(), e);
        }
        for (Map.Entry<String, ContainerRecord> e : store.loadAll(ContainerRecord.KIND, ContainerRecord.class).entrySet()) {
            if (!known.contains(e.getKey())) {
                LOG.warn("container {} has a record but no engine directory; dropping the record", e.getKey());
                store.delete(ContainerRecord.KIND, e.getKey());
                health.forget(e.getKey());
                continue;
            }
            records.put(e.getKey(), e.getValue());
        }
        for (String id : known) {
            if (!records.containsKey(id)) {
                LOG.warn("container {} has no record (interrupted create); removing it", id);
                try {
                    engine.remove(id, true);
                } catch (IOException | RuntimeException ex) {
                    LOG.warn("cannot remove container {}: {}", id, ex.toString());
                }
            }
        }
        for (ContainerRecord r : records.values()) {
            supervisor.register(r.id(), policyOf(r)); // keeps count and flags; gives records from older daemons one
            ContainerState s = state(r.id());
            if (s.running()) {
                health.start(r.id(), r.config().healthcheck(), r.config().shell(), eventAttributes(r), s.startedAt(), true);
            } else {
                releaseNetwork(r.id());
                if (r.autoRemove() && s.status() == ContainerState.Status.EXITED) {
                    removeQuietly(r.id());
                }
            }
        }
        // running containers are watched again, stopped ones started as their policy says (after a reboot, say);
        // off the constructor's thread as those starts take time
        Thread.ofVirtual().name("restart-resume").start(supervisor::resume);
    }

    // ------------------------------------------------------------------ lookup

    /** Resolves a full id, a name (with or without slash) or a unique id prefix; 404 otherwise. */
    ContainerRecord require(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw EngineApiException.notFound("No such container: " + idOrName);
        }
        ContainerRecord r = records.get(idOrName);
        if (r != null) {
            return r;
        }
        String name = Names.plain(idOrName);
        for (ContainerRecord c : records.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        List<ContainerRecord> prefix = records.values().stream().filter(c -> c.id().startsWith(idOrName)).toList();
        if (prefix.size() == 1) {
            return prefix.getFirst();
        }
        if (prefix.size() > 1) {
            throw EngineApiException.notFound("No such container: " + idOrName + " (the prefix is ambiguous)");
        }
        throw EngineApiException.notFound("No such container: " + idOrName);
    }

    /** The container's name with Docker's leading slash, or the id if unknown. */
    String nameOf(String id) {
        ContainerRecord r = records.get(id);
        return r == null ? id : r.name();
    }

    ContainerState state(String id) {
        try {
            return engine.inspect(id);
        } catch (ContainerException.NotFound e) {
            throw EngineApiException.notFound("No such container: " + id); // removed meanwhile (rm -f, reaper): 404, not 500
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Live live(String id) {
        return live.computeIfAbsent(id, k -> new Live());
    }

    private Map<String, String> eventAttributes(ContainerRecord r) {
        Map<String, String> a = new LinkedHashMap<>();
        if (r.config().labels() != null) {
            a.putAll(r.config().labels());
        }
        a.put("name", r.name());
        a.put("image", r.imageRef());
        return a;
    }

    private void event(ContainerRecord r, String action, Map<String, String> extra) {
        Map<String, String> a = eventAttributes(r);
        a.putAll(extra);
        events.publish(EventSink.event("container", action, r.id(), a));
    }

    // ------------------------------------------------------------------ create

    @Override
    public IdResponse create(ContainerCreateRequest request) {
        ContainerConfig req = request.config();
        if (req == null || req.image() == null || req.image().isBlank()) {
            throw EngineApiException.badRequest("No image specified; set Config.Image");
        }
        String name = request.name() == null || request.name().isEmpty() ? null : Names.plain(request.name());
        if (name != null && !Names.VALID.matcher(name).matches()) {
            throw EngineApiException.badRequest("Invalid container name (" + request.name() + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        Image image = images.require(imageRefWithTag(req.image()));
        var ic = images.service().config(image);
        HostConfig hc = request.hostConfig() == null ? HostConfig.ofNetworkMode("bridge") : request.hostConfig();
        String id = ContainerIds.newId();
        synchronized (records) {
            if (name == null) {
                do {
                    name = Names.generate();
                } while (nameTaken(name));
            } else if (nameTaken(name)) {
                ContainerRecord other = require(name);
                throw EngineApiException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                        + other.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
            }
            // reserve the name while the rest is prepared
            records.put(id, new ContainerRecord(id, name, Instant.now().toString(), req.image(), image.id().toString(), req, hc, Map.of(),
                    List.of(), List.of()));
        }
        try {
            ContainerRecord r = creation.prepare(id, name, request, image, ic, hc);
            records.put(id, r);
            store.put(ContainerRecord.KIND, id, r);
            supervisor.register(id, policyOf(r));
            event(r, "create", Map.of());
            return new IdResponse(id, List.of());
        } catch (RuntimeException | IOException e) {
            records.remove(id);
            try {
                if (Files.exists(containersDir.resolve(id).resolve("container.json"))) {
                    engine.remove(id, true);
                } else if (Files.exists(containersDir.resolve(id))) { // only the seccomp profile, written before the engine's create
                    Files.deleteIfExists(containersDir.resolve(id).resolve("seccomp.json"));
                    Files.deleteIfExists(containersDir.resolve(id));
                }
            } catch (IOException | RuntimeException ignored) {
                // nothing was started: the directory is all there is
            }
            if (e instanceof EngineApiException a) {
                throw a;
            }
            if (e instanceof IllegalArgumentException || e instanceof ContainerException) {
                throw EngineApiException.badRequest(e.getMessage());
            }
            throw new EngineApiException(500, "creating container: " + e.getMessage());
        }
    }

    /** {@code busybox} means {@code busybox:latest}; a digest or tag is kept. */
    private static String imageRefWithTag(String ref) {
        return ref;
    }

    private boolean nameTaken(String name) {
        return records.values().stream().anyMatch(c -> c.name().equals(name));
    }

    // ------------------------------------------------------------------ start

    @Override
    public void start(String idOrName) {
        ContainerRecord r = require(idOrName);
        try (var l = lock(r.id())) {
            ContainerState s = state(r.id());
            if (s.running()) {
                throw EngineApiException.notModified();
            }
            startLocked(r);
            supervisor.started(r.id());
        }
    }

    private void startLocked(ContainerRecord r) {
        String id = r.id();
        Path dir = containersDir.resolve(id);
        HostConfig hc = r.hostConfig();
        try {
            releaseNetwork(id); // a sandbox left by a run whose exit we missed
            String mode = r.networkMode();
            if (mode.equals("host")) {
                Files.copy(Path.of("/etc/hosts"), dir.resolve("hosts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(dir.resolve("resolv.conf"), Files.readString(Path.of("/etc/resolv.conf")));
                Files.writeString(dir.resolve("hostname"), r.config().hostname() + "\n");
            } else if (mode.startsWith("container:")) {
                ContainerRecord other = require(mode.substring(10));
                for (String f : List.of("hosts", "resolv.conf", "hostname")) {
                    Path src = containersDir.resolve(other.id()).resolve(f);
                    if (Files.exists(src)) {
                        Files.copy(src, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.writeString(dir.resolve(f), "");
                    }
                }
            } else {
                List<HostsFile.ExtraHost> extra = extraHosts(hc);
                Path ns = net.createSandbox(id, hc.dns() == null ? List.of() : hc.dns(), extra);
                for (var e : r.networks().entrySet()) {
                    EndpointSettings es = e.getValue();
                    List<String> dnsNames = new ArrayList<>();
                    dnsNames.add(r.name());
                    if (es != null && es.aliases() != null) {
                        es.aliases().stream().filter(a -> !dnsNames.contains(a)).forEach(dnsNames::add);
                    }
                    String shortId = id.substring(0, 12);
                    if (!dnsNames.contains(shortId)) {
                        dnsNames.add(shortId);
                    }
                    if (!dnsNames.contains(r.config().hostname())) {
                        dnsNames.add(r.config().hostname());
                    }
                    String ip4 = es == null || es.ipamConfig() == null ? null : emptyToNull(es.ipamConfig().ipv4Address());
                    String ip6 = es == null || es.ipamConfig() == null ? null : emptyToNull(es.ipamConfig().ipv6Address());
                    String mac = es == null ? null : emptyToNull(es.macAddress());
                    NetworkState n = networks.attach(e.getKey(), id, ns, new EndpointSpec(dnsNames, ip4, ip6, mac));
                    events.publish(EventSink.event("network", "connect", n.id(), Map.of("container", id, "name", n.name(), "type", "bridge")));
                }
                List<PortSpec> ports = portSpecs(r);
                if (!ports.isEmpty() && !r.networks().isEmpty()) {
                    net.publish(id, ports);
                }
                Files.writeString(dir.resolve("hostname"), r.config().hostname() + "\n");
                Files.writeString(dir.resolve("hosts"), net.hostsFile(id, r.config().hostname(),
                        r.config().domainname() == null ? "" : r.config().domainname(), extra));
                Files.writeString(dir.resolve("resolv.conf"), net.resolvConf(hc.dns() == null ? List.of() : hc.dns(),
                        hc.dnsSearch() == null ? List.of() : hc.dnsSearch(), hc.dnsOptions() == null ? List.of() : hc.dnsOptions()));
            }
            Live l = live(id);
            l.exitHandled = new CompletableFuture<>();
            engine.start(id);
            CompletableFuture<Void> started = l.nextStart;
            l.nextStart = new CompletableFuture<>();
            started.complete(null);
        } catch (ContainerException e) {
            throw startFailed(r, e.exitCode(), new EngineApiException(400,
                    "failed to create task for container: failed to create shim task: OCI runtime create failed: " + e.getMessage() + ": unknown"));
        } catch (EngineApiException e) {
            throw startFailed(r, 128, e);
        } catch (IOException | RuntimeException e) {
            throw startFailed(r, 128, new EngineApiException(500, "starting container " + id.substring(0, 12) + ": " + e.getMessage()));
        }
        event(r, "start", Map.of());
        health.start(id, r.config().healthcheck(), r.config().shell(), eventAttributes(r), state(id).startedAt(), false);
    }

    /** A start that failed: nothing stays attached, waiters and attach sessions are released, AutoRemove removes. */
    private EngineApiException startFailed(ContainerRecord r, int exitCode, EngineApiException error) {
        releaseNetwork(r.id());
        Live l = live(r.id());
        CompletableFuture<Void> started = l.nextStart;
        l.nextStart = new CompletableFuture<>();
        started.completeExceptionally(error);
        l.exitHandled.complete(null); // there is no run whose exit a stop would wait for
        lastExit.put(r.id(), exitCode);
        event(r, "die", Map.of("exitCode", Integer.toString(exitCode)));
        completeExitWaiters(r.id(), exitCode, error.getMessage());
        if (r.autoRemove()) {
            Thread.ofVirtual().start(() -> removeQuietly(r.id()));
        }
        return error;
    }

    private static List<HostsFile.ExtraHost> extraHosts(HostConfig hc) {
        List<HostsFile.ExtraHost> out = new ArrayList<>();
        if (hc.extraHosts() != null) {
            for (String h : hc.extraHosts()) {
                int c = h.indexOf(':');
                if (c <= 0) {
                    throw EngineApiException.badRequest("invalid extra host " + h + ": expected host:ip");
                }
                out.add(new HostsFile.ExtraHost(h.substring(0, c), h.substring(c + 1)));
            }
        }
        return out;
    }

    private static List<PortSpec> portSpecs(ContainerRecord r) {
        List<PortSpec> out = new ArrayList<>();
        Map<String, List<PortBinding>> pb = r.hostConfig().portBindings() == null ? Map.of() : r.hostConfig().portBindings();
        pb.forEach((key, bindings) -> {
            String[] kp = key.split("/");
            int cport = Integer.parseInt(kp[0]);
            String proto = kp.length > 1 ? kp[1] : "tcp";
            for (PortBinding b : bindings == null ? List.<PortBinding>of() : bindings) {
                int hport = b.hostPort() == null || b.hostPort().isEmpty() ? 0 : Integer.parseInt(b.hostPort());
                out.add(new PortSpec(proto, emptyToNull(b.hostIp()), hport, cport));
            }
        });
        if (Boolean.TRUE.equals(r.hostConfig().publishAllPorts()) && r.config().exposedPorts() != null) {
            for (String key : r.config().exposedPorts().keySet()) {
                if (!pb.containsKey(key)) {
                    String[] kp = key.split("/");
                    out.add(new PortSpec(kp.length > 1 ? kp[1] : "tcp", null, 0, Integer.parseInt(kp[0])));
                }
            }
        }
        return out;
    }

    /** Frees the container's sandbox, endpoints and published ports, and the on-demand bridge network. */
    private void releaseNetwork(String id) {
        try {
            if (net.sandbox(id).isPresent() || Files.exists(NetNamespace.pathFor(id))) {
                net.removeSandbox(id);
            }
            networks.releaseBridgeIfIdle();
        } catch (RuntimeException e) {
            LOG.warn("releasing the network of container {}: {}", id, e.toString());
        }
    }

    // ------------------------------------------------------------------ exits

    /**
     * The exit of a run, reported by the supervisor (which decides about a restart itself): releases
     * the network, wakes waiters, AutoRemove removes.
     */
    private void onExit(String id, ExitStatus exit) {
        int exitCode = exit.exitCode();
        ContainerRecord r = records.get(id);
        if (r == null) {
            return;
        }
        Live l = live(id);
        try {
            lastExit.put(id, exitCode);
            health.exited(id, exit.finishedAt());
            try (var lock = lock(id)) {
                if (!runningNow(id)) { // else a start came before this exit's handling: the network is the new run's
                    releaseNetwork(id);
                }
            }
            event(r, "die", Map.of("exitCode", Integer.toString(exitCode)));
            completeExitWaiters(id, exitCode, null);
        } finally {
            l.exitHandled.complete(null);
        }
        if (r.autoRemove()) {
            awaitAttachSessions(l); // the log they read goes with the container
            removeQuietly(id);
        }
    }

    /** The exit code the engine reports; the one remembered at removal when it is gone. */
    private int exitCodeNow(ContainerRecord r) {
        try {
            return state(r.id()).exitCode();
        } catch (RuntimeException gone) {
            return lastExitCode(r);
        }
    }

    /** Running according to the engine; false when it is gone (removed meanwhile). */
    private boolean runningNow(String id) {
        try {
            return state(id).running();
        } catch (RuntimeException gone) {
            return false;
        }
    }

    private static void awaitAttachSessions(Live l) {
        try {
            CompletableFuture.allOf(l.attachSessions.toArray(CompletableFuture[]::new)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // a session that never began or hangs does not keep the container
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void completeExitWaiters(String id, int code, String error) {
        Live l = live(id);
        // one by one: a clear() after the loop would drop a waiter that registered during it
        for (CompletableFuture<WaitResponse> f : l.exitWaiters) {
            f.complete(new WaitResponse(code, error == null ? null : new WaitResponse.WaitError(error)));
            l.exitWaiters.remove(f);
        }
    }

    private void removeQuietly(String id) {
        try {
            remove(id, true, true, false);
        } catch (RuntimeException e) {
            LOG.warn("auto-removing container {}: {}", id, e.toString());
        }
    }

    // ------------------------------------------------------------------ stop, kill, restart, remove

    @Override
    public void stop(String idOrName, Integer timeoutSeconds, String signal) {
        ContainerRecord r = require(idOrName);
        Live l = live(r.id());
        // under the container's lock: an automatic restart is either not begun (and cancelled here) or done (and stopped here)
        try (var held = lock(r.id())) {
            ContainerState s = state(r.id());
            // also an exit the supervisor has not judged yet: it would otherwise restart after this stop
            if (views.restarting(r.id(), s) || !s.running() && supervisor.exitPending(r.id())) {
                supervisor.stopping(r.id()); // cancels the restart waiting in its backoff
                event(r, "stop", Map.of());
                return;
            }
            if (!s.running()) {
                throw EngineApiException.notModified();
            }
            supervisor.stopping(r.id());
            if (signal != null && !signal.isEmpty()) {
                engine.kill(r.id(), Signals.parse(signal));
            }
        } catch (IOException e) {
            throw new EngineApiException(500, "stopping container " + r.id().substring(0, 12) + ": " + e.getMessage());
        }
        // the grace period is waited outside the lock: it may be long, and a kill (a second Ctrl-C) must get through
        Integer t = timeoutSeconds != null ? timeoutSeconds : r.config().stopTimeout();
        try {
            if (!engine.stop(r.id(), t == null ? null : Duration.ofSeconds(t))) {
                throw EngineApiException.notModified();
            }
        } catch (IOException e) {
            throw new EngineApiException(500, "stopping container " + r.id().substring(0, 12) + ": " + e.getMessage());
        }
        event(r, "stop", Map.of());
        awaitExitHandled(l);
    }

    /** Lets the exit handling (network release, waiters) finish before the call answers. */
    private static void awaitExitHandled(Live l) {
        try {
            l.exitHandled.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the answer does not wait longer for a slow exit handler
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        ContainerRecord r = require(idOrName);
        try {
            stop(r.id(), timeoutSeconds, signal);
        } catch (EngineApiException e) {
            if (e.status() != 304) {
                throw e;
            }
        }
        start(r.id());
        event(r, "restart", Map.of());
    }

    @Override
    public void kill(String idOrName, String signal) {
        ContainerRecord r = require(idOrName);
        if (!state(r.id()).running()) {
            throw EngineApiException.conflict("Cannot kill container: " + idOrName + ": Container " + r.id() + " is not running");
        }
        int sig;
        try {
            sig = signal == null || signal.isEmpty() ? Signals.SIGKILL : Signals.parse(signal);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        supervisor.killing(r.id(), sig, stopSignalOf(r));
        try {
            engine.kill(r.id(), sig);
        } catch (IOException e) {
            throw new EngineApiException(500, e.getMessage());
        }
        event(r, "kill", Map.of("signal", Integer.toString(sig)));
    }

    @Override
    public void remove(String idOrName, boolean force, boolean removeVolumes, boolean link) {
        ContainerRecord r = require(idOrName);
        boolean killed;
        try (var l = lock(r.id())) {
            if (!records.containsKey(r.id())) {
                throw EngineApiException.notFound("No such container: " + idOrName);
            }
            ContainerState s = state(r.id());
            boolean restarting = views.restarting(r.id(), s);
            lastExit.put(r.id(), s.running() ? 137 : s.exitCode());
            if ((s.running() || restarting) && !force) {
                String what = restarting ? "restarting" : s.status() == ContainerState.Status.PAUSED ? "paused" : "running";
                throw EngineApiException.conflict("You cannot remove a " + what + " container " + r.id()
                        + ". Stop the container before attempting removal or force remove");
            }
            supervisor.removed(r.id()); // first: a restart waiting for the lock finds it cancelled, never a missing container
            killed = s.running(); // its exit is reported here: the supervisor's report comes after the record is gone
            try {
                engine.remove(r.id(), true);
            } catch (IOException e) {
                throw new EngineApiException(500, "removing container " + r.id().substring(0, 12) + ": " + e.getMessage());
            }
            releaseNetwork(r.id());
            execs.forget(r.id());
            health.forget(r.id());
            cgroupStats.forget(r.id());
            records.remove(r.id());
            store.delete(ContainerRecord.KIND, r.id());
        }
        if (removeVolumes) {
            for (String v : r.anonymousVolumes()) {
                try {
                    volumes.remove(v, true);
                } catch (RuntimeException e) {
                    LOG.warn("removing volume {} of container {}: {}", v, r.id(), e.getMessage());
                }
            }
        }
        if (killed) { // Docker's rm -f: kill, die, destroy
            event(r, "kill", Map.of("signal", Integer.toString(Signals.SIGKILL)));
            event(r, "die", Map.of("exitCode", "137"));
        }
        event(r, "destroy", Map.of());
        Live l = live.remove(r.id());
        if (l != null) {
            ContainerState gone = new ContainerState(ContainerState.Status.EXITED, 0, 0, false, "", null, null);
            l.exitWaiters.forEach(f -> f.complete(new WaitResponse(gone.exitCode(), null)));
            int code = lastExitCode(r);
            l.removeWaiters.forEach(f -> f.complete(new WaitResponse(code, null)));
        }
    }

    private final Map<String, Integer> lastExit = new ConcurrentHashMap<>();

    private int lastExitCode(ContainerRecord r) {
        return lastExit.getOrDefault(r.id(), 0);
    }

    // ------------------------------------------------------------------ wait

    @Override
    public CompletableFuture<WaitResponse> waitFor(String idOrName, String condition) {
        ContainerRecord r = require(idOrName);
        String c = condition == null || condition.isEmpty() ? "not-running" : condition;
        CompletableFuture<WaitResponse> f = new CompletableFuture<>();
        Live l = live(r.id());
        switch (c) {
            case "not-running" -> {
                ContainerState s = state(r.id());
                if (!s.running()) {
                    return CompletableFuture.completedFuture(new WaitResponse(s.exitCode(), null));
                }
                l.exitWaiters.add(f);
            }
            case "next-exit" -> l.exitWaiters.add(f);
            case "removed" -> l.removeWaiters.add(f);
            default -> throw EngineApiException.badRequest("invalid condition: \"" + c + "\"");
        }
        // remove() drops the record before it answers the waiters it finds: a waiter that came too
        // late for that (or landed in a fresh Live made after it) sees the record gone and answers itself
        if (!records.containsKey(r.id())) {
            live.remove(r.id(), l);
            f.complete(new WaitResponse(lastExitCode(r), null));
        } else if (c.equals("not-running") && !runningNow(r.id())) { // exited between the check and the add
            l.exitWaiters.remove(f);
            f.complete(new WaitResponse(exitCodeNow(r), null));
        }
        return f;
    }

    // ------------------------------------------------------------------ rename, pause

    @Override
    public void rename(String idOrName, String newName) {
        ContainerRecord r = require(idOrName);
        String name = Names.plain(newName == null ? "" : newName);
        if (!Names.VALID.matcher(name).matches()) {
            throw EngineApiException.badRequest("Invalid container name (" + newName + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        synchronized (records) {
            if (nameTaken(name)) {
                throw EngineApiException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                        + require(name).id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
            }
            ContainerRecord renamed = r.withName(name);
            records.put(r.id(), renamed);
            store.put(ContainerRecord.KIND, r.id(), renamed);
        }
        event(r, "rename", Map.of("oldName", "/" + r.name(), "name", name));
    }

    @Override
    public void pause(String idOrName) {
        ContainerRecord r = require(idOrName);
        try {
            engine.pause(r.id());
        } catch (ContainerException e) {
            throw EngineApiException.conflict(e.getMessage());
        } catch (IOException e) {
            throw new EngineApiException(500, e.getMessage());
        }
        event(r, "pause", Map.of());
    }

    @Override
    public void unpause(String idOrName) {
        ContainerRecord r = require(idOrName);
        try {
            engine.unpause(r.id());
        } catch (ContainerException e) {
            throw EngineApiException.conflict(e.getMessage());
        } catch (IOException e) {
            throw new EngineApiException(500, e.getMessage());
        }
        event(r, "unpause", Map.of());
    }

    @Override
    public void resize(String idOrName, int height, int width) {
        ContainerRecord r = require(idOrName);
        try {
            engine.resize(r.id(), height, width);
        } catch (IOException | RuntimeException e) {
            throw EngineApiException.conflict("cannot resize container " + r.id().substring(0, 12) + ": " + e.getMessage());
        }
    }

    @Override
    public ContainerTop top(String idOrName, String psArgs) {
        ContainerRecord r = require(idOrName);
        if (!state(r.id()).running()) {
            throw EngineApiException.conflict("Container " + r.id() + " is not running");
        }
        try {
            return cgroupStats.top(r.id(), psArgs);
        } catch (IOException e) {
            throw new EngineApiException(500, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineApiException(500, "interrupted");
        }
    }

    // ------------------------------------------------------------------ inspect, list (ContainerViews)

    @Override
    public ContainerInspect inspect(String idOrName, boolean size) {
        return views.inspect(require(idOrName));
    }

    @Override
    public List<ContainerSummary> list(ListOptions options) {
        return views.list(options);
    }

    // ------------------------------------------------------------------ logs, attach

    @Override
    public ContainerOutput.OneWay logs(String idOrName, LogsOptions o) {
        ContainerRecord r = require(idOrName);
        boolean tty = Boolean.TRUE.equals(r.config().tty());
        LogQuery q = new LogQuery(o.stdout(), o.stderr(), o.since() > 0 ? nanosToInstant(o.since()) : null,
                o.until() > 0 ? nanosToInstant(o.until()) : null, o.tail() < 0 ? null : o.tail(), o.follow());
        return new ContainerOutput.OneWay(tty, out -> writeLogs(r.id(), q, tty, o.timestamps(), out));
    }

    private static Instant nanosToInstant(long nanos) {
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    private void writeLogs(String id, LogQuery q, boolean tty, boolean timestamps, OutputStream out) throws IOException {
        IOException[] failed = new IOException[1];
        engine.logs(id, q, rec -> {
            try {
                byte[] b = rec.render(timestamps).getBytes(StandardCharsets.UTF_8);
                writeFrame(out, tty, rec.stream().equals("stderr") ? 2 : 1, b, b.length);
                out.flush();
                return true;
            } catch (IOException e) {
                failed[0] = e;
                return false; // the client left
            }
        });
    }

    static void writeFrame(OutputStream out, boolean tty, int stream, byte[] b, int len) throws IOException {
        if (!tty) {
            out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        }
        out.write(b, 0, len);
    }

    @Override
    public ContainerOutput.Duplex attach(String idOrName, AttachOptions o) {
        ContainerRecord r = require(idOrName);
        boolean tty = Boolean.TRUE.equals(r.config().tty());
        Instant since = Instant.now();
        Live l = live(r.id());
        CompletableFuture<Void> started = l.nextStart;
        CompletableFuture<Void> session = new CompletableFuture<>();
        l.attachSessions.add(session);
        event(r, "attach", Map.of());
        return new ContainerOutput.Duplex(tty, (stdin, out) -> {
            try {
                serveAttach(r, o, tty, since, started, stdin, out);
            } finally {
                session.complete(null);
                l.attachSessions.remove(session);
            }
        });
    }

    private void serveAttach(ContainerRecord r, AttachOptions o, boolean tty, Instant since, CompletableFuture<Void> started, InputStream stdin,
            OutputStream out) throws Exception {
        if (!state(r.id()).running()) {
            if (!o.stream()) {
                return;
            }
            try {
                started.get(); // docker run attaches before it starts the container
            } catch (java.util.concurrent.ExecutionException failedStart) {
                return; // the start call reports the error
            }
        }
        Thread input = null;
        if (o.stdin() && Boolean.TRUE.equals(r.config().openStdin())) {
            input = Thread.ofVirtual().start(() -> pumpStdin(r.id(), stdin));
        }
        if (o.logs()) {
            writeLogs(r.id(), new LogQuery(o.stdout(), o.stderr(), null, since, null, false), tty, false, out);
        }
        if (o.stream()) {
            // live output is read back from the json log: nothing written between start and attach is lost
            writeLogs(r.id(), new LogQuery(o.stdout(), o.stderr(), since, null, null, true), tty, false, out);
        }
        if (input != null) {
            input.interrupt();
        }
    }

    /** Copies the client's stdin into the container through the shim's attach socket (docs/shim.md). */
    private void pumpStdin(String id, InputStream stdin) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(engine.attachSocket(id)))) {
            OutputStream to = Channels.newOutputStream(ch);
            // drain what the socket sends back (output frames): the log is where output is read from
            Thread.ofVirtual().start(() -> {
                ByteBuffer sink = ByteBuffer.allocate(8192);
                try {
                    while (ch.read(sink.clear()) >= 0) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            stdin.transferTo(to);
            to.flush();
            // with StdinOnce the shim closes the container's stdin when this client goes, after the
            // bytes before it (a separate close-stdin command could overtake them)
            ch.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            LOG.debug("stdin of container {}: {}", id, e.toString());
        }
    }

    @Override
    public ContainerStats stats(String idOrName) {
        ContainerRecord r = require(idOrName);
        long pid = state(r.id()).pid();
        if (!cgroupStats.hasPrevious(r.id())) {
            // CPU % needs two samples, as dockerd takes them: the first one a second earlier
            cgroupStats.sample(r.id(), r.name(), pid);
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return cgroupStats.sample(r.id(), r.name(), pid);
    }

    @Override
    public PruneReport prune(Filters filters) {
        Filters f = filters == null ? Filters.NONE : filters;
        List<String> deleted = new ArrayList<>();
        for (ContainerRecord r : List.copyOf(records.values())) {
            if (!state(r.id()).running() && f.matchLabels("label", r.config().labels())) {
                remove(r.id(), false, false, false);
                deleted.add(r.id());
            }
        }
        return PruneReport.containers(deleted, 0);
    }

    // ------------------------------------------------------------------ exec

    @Override
    public IdResponse execCreate(String containerId, ExecCreateRequest request) {
        ContainerRecord r = require(containerId);
        if (!state(r.id()).running()) {
            throw EngineApiException.conflict("Container " + r.id() + " is not running");
        }
        return new IdResponse(execs.create(r.id(), request), null);
    }

    @Override
    public ContainerOutput.Duplex execStart(String execId, ExecStartRequest request) {
        return execs.start(execId);
    }

    @Override
    public void execStartDetached(String execId, ExecStartRequest request) {
        execs.startDetached(execId);
    }

    @Override
    public void execResize(String execId, int height, int width) {
        execs.resize(execId, height, width);
    }

    @Override
    public ExecInspect execInspect(String execId) {
        return execs.inspect(execId);
    }

    void execEvent(String containerId, String action, Map<String, String> extra) {
        ContainerRecord r = records.get(containerId);
        if (r != null) {
            event(r, action, extra);
        }
    }

    // ------------------------------------------------------------------ archive (docker cp: ContainerArchives)

    @Override
    public ArchiveStat archiveStat(String id, String path) {
        ContainerRecord r = require(id);
        return ContainerArchives.stat(tree(r), id, path).stat(); // dockerd names the container as the request did
    }

    @Override
    public void archiveGet(String id, String path, OutputStream tar) throws IOException {
        ContainerRecord r = require(id);
        ContainerTree tree = tree(r);
        ContainerArchives.write(tree, ContainerArchives.stat(tree, id, path), tar);
        event(r, "archive-path", Map.of());
    }

    @Override
    public void archivePut(String id, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) throws IOException {
        ContainerRecord r = require(id);
        ContainerTree tree = tree(r);
        String dest = ContainerArchives.extractionPoint(tree, id, path);
        ContainerTree.Mounted on = tree.mountOf(dest);
        if (on == null && r.hostConfig() != null && Boolean.TRUE.equals(r.hostConfig().readonlyRootfs())) {
            throw new EngineApiException(500, "container rootfs is marked read-only");
        }
        if (on != null && on.readOnly()) {
            throw new EngineApiException(500, "mounted volume is marked read-only");
        }
        ContainerArchives.Ownership owner = new ContainerArchives.Ownership.FromTar();
        String user = r.config() == null ? null : r.config().user();
        if (copyUidGid && user != null && !user.isEmpty()) {
            var u = io.jcompose.runtime.container.UserResolver.resolve(tree.root(), user, List.of());
            owner = new ContainerArchives.Ownership.Fixed(u.uid(), u.gid());
        }
        try {
            ContainerArchives.extract(tree, dest, tar, noOverwriteDirNonDir, owner);
        } catch (ContainerArchives.ConflictException e) {
            throw new EngineApiException(500, "Error processing tar file(exit status 1): " + e.getMessage()); // dockerd's words
        }
        event(r, "extract-to-dir", Map.of());
    }

    /** The container's files: through its live mount namespace while it runs, else its mounted root. */
    private ContainerTree tree(ContainerRecord r) {
        try (var l = lock(r.id())) {
            var spec = engine.spec(r.id());
            ContainerState s = state(r.id());
            if (s.pid() > 0 && s.running()) {
                // "/." so that the root itself is the directory, not the magic link /proc/<pid>/root
                return new ContainerTree(Path.of("/proc/" + s.pid() + "/root/."), ContainerTree.mountsOf(spec), true);
            }
            return new ContainerTree(engine.mountRoot(r.id()), ContainerTree.mountsOf(spec), false);
        } catch (IOException e) {
            throw new EngineApiException(500, "mounting the files of container " + r.id().substring(0, 12) + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ connect / disconnect

    void connect(NetworkState n, String containerIdOrName, EndpointSettings settings) {
        ContainerRecord r = require(containerIdOrName);
        try (var l = lock(r.id())) {
            if (r.networks().containsKey(n.name())) {
                throw EngineApiException.forbidden("endpoint with name " + r.name() + " already exists in network " + n.name());
            }
            String mode = r.networkMode();
            if (mode.equals("host") || mode.startsWith("container:")) {
                throw EngineApiException.badRequest("container sharing network namespace with another container or host cannot be connected to any other network");
            }
            Map<String, EndpointSettings> nets = new LinkedHashMap<>(r.networks());
            nets.put(n.name(), settings);
            ContainerRecord updated = r.withNetworks(nets);
            if (state(r.id()).running()) {
                Path ns = net.sandbox(r.id()).orElseThrow(() -> EngineApiException.conflict("container " + r.id() + " has no network sandbox"));
                List<String> names = new ArrayList<>(List.of(r.name()));
                if (settings != null && settings.aliases() != null) {
                    settings.aliases().stream().filter(a -> !names.contains(a)).forEach(names::add);
                }
                names.add(r.id().substring(0, 12));
                net.attach(n.id(), r.id(), ns, new EndpointSpec(names, settings == null || settings.ipamConfig() == null ? null
                        : emptyToNull(settings.ipamConfig().ipv4Address()), null, null));
            }
            records.put(r.id(), updated);
            store.put(ContainerRecord.KIND, r.id(), updated);
        }
        events.publish(EventSink.event("network", "connect", n.id(), Map.of("container", r.id(), "name", n.name(), "type", "bridge")));
    }

    void disconnect(NetworkState n, String containerIdOrName, boolean force) {
        ContainerRecord r = require(containerIdOrName);
        try (var l = lock(r.id())) {
            if (!r.networks().containsKey(n.name())) {
                throw EngineApiException.forbidden("container " + r.id() + " is not connected to network " + n.name());
            }
            Map<String, EndpointSettings> nets = new LinkedHashMap<>(r.networks());
            nets.remove(n.name());
            net.detach(n.id(), r.id());
            ContainerRecord updated = r.withNetworks(nets);
            records.put(r.id(), updated);
            store.put(ContainerRecord.KIND, r.id(), updated);
        }
        events.publish(EventSink.event("network", "disconnect", n.id(), Map.of("container", r.id(), "name", n.name(), "type", "bridge")));
    }

    // ------------------------------------------------------------------ counts, volumes, images

    @Override
    public Counts counts() {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (ContainerRecord r : records.values()) {
            ContainerState s;
            try {
                s = engine.inspect(r.id());
            } catch (IOException | RuntimeException e) {
                continue;
            }
            switch (s.status()) {
                case RUNNING -> running++;
                case PAUSED -> paused++;
                default -> stopped++;
            }
        }
        return new Counts(running + paused + stopped, running, paused, stopped);
    }

    @Override
    public List<String> containersUsingVolume(String volumeName) {
        return records.values().stream().filter(r -> r.mounts().stream().anyMatch(m -> volumeName.equals(m.name()))).map(ContainerRecord::id)
                .toList();
    }

    List<String> containersUsingImage(String imageId) {
        return records.values().stream().filter(r -> imageId.equals(r.imageId())).map(ContainerRecord::id).toList();
    }

    /** Runs an exec in a container (used by {@link Execs}). */
    ExecProcess exec(String containerId, ExecSpec spec) throws IOException {
        return engine.exec(containerId, spec);
    }
}
