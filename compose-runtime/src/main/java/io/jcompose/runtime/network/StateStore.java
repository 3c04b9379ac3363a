package io.jcompose.runtime.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores network and sandbox state as one JSON file per object under
 * {@code <data root>/network/}, written atomically (temp file + rename), so a crash never leaves
 * a half-written file.
 *
 * <p>Writes happen on one background thread, in order, and only the latest state of an object
 * is written when several changes queue up: a file create+rename costs 1–6 ms on a busy ext4,
 * which is most of an attach. {@link #flush()} waits for everything queued. A crash can lose
 * the last changes; the service reconciles with the kernel when it starts again.
 */
final class StateStore implements AutoCloseable {
    /** What a container's sandbox needs to be rebuilt: netns, {@code dns:} servers, published ports. */
    record SandboxState(String containerId, String netns, List<String> dnsServers,
            List<io.jcompose.runtime.network.dns.HostsFile.ExtraHost> extraHosts,
            List<io.jcompose.runtime.network.ports.PortBinding> ports) {
        SandboxState {
            dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        SandboxState withPorts(List<io.jcompose.runtime.network.ports.PortBinding> value) {
            return new SandboxState(containerId, netns, dnsServers, extraHosts, value);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path networks;
    private final Path sandboxes;
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jc-network-state");
        t.setDaemon(true);
        return t;
    });
    private final java.util.Map<Path, Object> pending = new java.util.concurrent.ConcurrentHashMap<>();

    StateStore(Path dataRoot) {
        this.networks = dataRoot.resolve("network").resolve("networks");
        this.sandboxes = dataRoot.resolve("network").resolve("sandboxes");
        try {
            Files.createDirectories(networks);
            Files.createDirectories(sandboxes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + networks, e);
        }
    }

    void save(NetworkState n) {
        later(networks.resolve(n.id() + ".json"), n);
    }

    void deleteNetwork(String id) {
        later(networks.resolve(id + ".json"), DELETE);
    }

    List<NetworkState> loadNetworks() {
        return load(networks, NetworkState.class);
    }

    void save(SandboxState s) {
        later(sandboxes.resolve(s.containerId() + ".json"), s);
    }

    void deleteSandbox(String containerId) {
        later(sandboxes.resolve(containerId + ".json"), DELETE);
    }

    private static final Object DELETE = new Object();

    /** Queues the latest value for a file (or its deletion); one task per file is enough. */
    private void later(Path file, Object value) {
        if (pending.put(file, value) == null) {
            writer.execute(() -> {
                Object latest = pending.remove(file);
                if (latest == null) return;
                try {
                    if (latest == DELETE) delete(file);
                    else write(file, latest);
                } catch (RuntimeException e) {
                    System.getLogger(StateStore.class.getName()).log(System.Logger.Level.ERROR,
                            "cannot store network state " + file + ": " + e.getMessage());
                }
            });
        }
    }

    /** Waits until everything queued so far is on disk. */
    void flush() {
        try {
            writer.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        flush();
        writer.shutdown();
    }

    List<SandboxState> loadSandboxes() {
        return load(sandboxes, SandboxState.class);
    }

    private static void write(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(value));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static <T> List<T> load(Path dir, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(JSON.readValue(Files.readAllBytes(f), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state in " + dir, e);
        }
        return out;
    }
}
