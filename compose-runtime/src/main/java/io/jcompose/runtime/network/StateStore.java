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
 */
final class StateStore {
    /** What a container's sandbox needs to be rebuilt: netns, {@code dns:} servers, published ports. */
    record SandboxState(String containerId, String netns, List<String> dnsServers,
            List<io.jcompose.runtime.network.ports.PortBinding> ports) {
        SandboxState {
            dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        SandboxState withPorts(List<io.jcompose.runtime.network.ports.PortBinding> value) {
            return new SandboxState(containerId, netns, dnsServers, value);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path networks;
    private final Path sandboxes;

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
        write(networks.resolve(n.id() + ".json"), n);
    }

    void deleteNetwork(String id) {
        delete(networks.resolve(id + ".json"));
    }

    List<NetworkState> loadNetworks() {
        return load(networks, NetworkState.class);
    }

    void save(SandboxState s) {
        write(sandboxes.resolve(s.containerId() + ".json"), s);
    }

    void deleteSandbox(String containerId) {
        delete(sandboxes.resolve(containerId + ".json"));
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
