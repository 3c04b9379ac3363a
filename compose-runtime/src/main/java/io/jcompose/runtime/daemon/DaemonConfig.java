package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.server.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The daemon's settings, read from a file shaped like Docker's {@code daemon.json} (same key
 * names), then overridden by command-line flags.
 *
 * @param dataRoot {@code data-root}: where all state lives (default {@code /var/lib/jcompose})
 * @param execRoot {@code exec-root}: runtime files (default {@code /run/jcompose})
 * @param hosts {@code hosts}: API listeners ({@code unix:///path} or loopback {@code tcp://}); the
 *     first Unix socket is the one clients use by default
 * @param registryMirrors {@code registry-mirrors}: Docker Hub mirrors, tried in order
 * @param insecureRegistries {@code insecure-registries}: registries reached over plain HTTP
 * @param defaultAddressPools {@code default-address-pools}: subnets for new networks (empty:
 *     Docker's built-in pools)
 * @param logDriver {@code log-driver} (default {@code json-file})
 * @param logOpts {@code log-opts}, e.g. {@code max-size}, {@code max-file}
 * @param dns {@code dns}: resolvers for containers instead of the host's
 * @param debug {@code debug}: debug logging
 * @param sessionKeepAlive {@code session-keepalive} (jcompose's own key): how long a client
 *     session's labelled objects outlive its last lease when the lease names no keep-alive
 *     (default {@code 10s}; {@code forever} keeps them; see {@code docs/reaper.md})
 */
public record DaemonConfig(
        Path dataRoot,
        Path execRoot,
        List<String> hosts,
        List<String> registryMirrors,
        List<String> insecureRegistries,
        List<AddressPool> defaultAddressPools,
        String logDriver,
        Map<String, String> logOpts,
        List<String> dns,
        boolean debug,
        Sessions.KeepAlive sessionKeepAlive) {

    /** Default data root. */
    public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/jcompose");
    /** Default run root. */
    public static final Path DEFAULT_EXEC_ROOT = Path.of("/run/jcompose");
    /** Default API socket. */
    public static final Path DEFAULT_SOCKET = DEFAULT_EXEC_ROOT.resolve("jcompose.sock");
    /** Default config file. */
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/jcompose/daemon.json");

    /** The keys the config file may hold (as in Docker's daemon.json). */
    public static final Set<String> KEYS = Set.of(
            "data-root", "exec-root", "hosts", "registry-mirrors", "insecure-registries", "default-address-pools", "log-driver", "log-opts",
            "dns", "debug", "session-keepalive");

    /** A default address pool: {@code {"base": "172.80.0.0/16", "size": 24}}. */
    public record AddressPool(String base, int size) {}

    public DaemonConfig {
        hosts = List.copyOf(hosts);
        registryMirrors = List.copyOf(registryMirrors);
        insecureRegistries = List.copyOf(insecureRegistries);
        defaultAddressPools = List.copyOf(defaultAddressPools);
        logOpts = Map.copyOf(logOpts);
        dns = List.copyOf(dns);
        sessionKeepAlive = sessionKeepAlive == null ? Sessions.KeepAlive.of(Sessions.DEFAULT_KEEPALIVE) : sessionKeepAlive;
        for (String h : hosts) {
            Listener.parse(h); // fails early on a non-loopback TCP host
        }
    }

    /** All defaults. */
    public static DaemonConfig defaults() {
        return new DaemonConfig(DEFAULT_DATA_ROOT, DEFAULT_EXEC_ROOT, List.of("unix://" + DEFAULT_SOCKET), List.of(), List.of(), List.of(),
                "json-file", Map.of(), List.of(), false, null);
    }

    /**
     * Reads a config file. A missing file at the default location means defaults.
     *
     * @throws IllegalArgumentException with one line naming the file and the problem
     */
    public static DaemonConfig load(Path file, boolean mustExist) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            }
            return defaults();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses config JSON; {@code where} names the source in error messages. */
    public static DaemonConfig parse(String json, String where) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(where + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(where + ": the configuration must be a JSON object");
        }
        Set<String> unknown = new TreeSet<>(root.propertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": the following directives don't match any configuration option: "
                    + String.join(", ", unknown));
        }
        DaemonConfig d = defaults();
        try {
            List<AddressPool> pools = new ArrayList<>();
            if (root.has("default-address-pools")) {
                for (JsonNode p : root.get("default-address-pools")) {
                    if (!p.has("base") || !p.has("size")) {
                        throw new IllegalArgumentException("each default-address-pools entry needs \"base\" and \"size\"");
                    }
                    pools.add(new AddressPool(p.get("base").asString(), p.get("size").asInt()));
                }
            }
            Map<String, String> logOpts = new LinkedHashMap<>();
            if (root.has("log-opts")) {
                root.get("log-opts").properties().forEach(e -> logOpts.put(e.getKey(), e.getValue().asString()));
            }
            return new DaemonConfig(
                    root.has("data-root") ? Path.of(root.get("data-root").asString()) : d.dataRoot(),
                    root.has("exec-root") ? Path.of(root.get("exec-root").asString()) : d.execRoot(),
                    root.has("hosts") ? strings(root.get("hosts"), "hosts") : d.hosts(),
                    root.has("registry-mirrors") ? strings(root.get("registry-mirrors"), "registry-mirrors") : List.of(),
                    root.has("insecure-registries") ? strings(root.get("insecure-registries"), "insecure-registries") : List.of(),
                    pools,
                    root.has("log-driver") ? root.get("log-driver").asString() : d.logDriver(),
                    logOpts,
                    root.has("dns") ? strings(root.get("dns"), "dns") : List.of(),
                    root.has("debug") && root.get("debug").asBoolean(),
                    root.has("session-keepalive") ? Sessions.KeepAlive.parse(root.get("session-keepalive").asString()) : null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode node, String key) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The API listeners. */
    public List<Listener> listeners() {
        return hosts.stream().map(Listener::parse).toList();
    }

    /** The Unix socket clients use by default (the first {@code unix://} host), if any. */
    public Path socketPath() {
        return listeners().stream()
                .filter(l -> l instanceof Listener.UnixSocket)
                .map(l -> ((Listener.UnixSocket) l).path())
                .findFirst()
                .orElse(null);
    }

    /** A copy with another data root. */
    public DaemonConfig withDataRoot(Path root) {
        return new DaemonConfig(root, execRoot, hosts, registryMirrors, insecureRegistries, defaultAddressPools, logDriver, logOpts, dns, debug, sessionKeepAlive);
    }

    /** A copy with other API hosts. */
    public DaemonConfig withHosts(List<String> newHosts) {
        return new DaemonConfig(dataRoot, execRoot, newHosts, registryMirrors, insecureRegistries, defaultAddressPools, logDriver, logOpts, dns, debug, sessionKeepAlive);
    }

    /** A copy with debug logging on or off. */
    public DaemonConfig withDebug(boolean on) {
        return new DaemonConfig(dataRoot, execRoot, hosts, registryMirrors, insecureRegistries, defaultAddressPools, logDriver, logOpts, dns, on, sessionKeepAlive);
    }

    /** A copy with another default session keep-alive. */
    public DaemonConfig withSessionKeepAlive(Sessions.KeepAlive keepAlive) {
        return new DaemonConfig(dataRoot, execRoot, hosts, registryMirrors, insecureRegistries, defaultAddressPools, logDriver, logOpts, dns, debug,
                keepAlive);
    }

    /** A copy with another exec root. */
    public DaemonConfig withExecRoot(Path root) {
        return new DaemonConfig(dataRoot, root, hosts, registryMirrors, insecureRegistries, defaultAddressPools, logDriver, logOpts, dns, debug, sessionKeepAlive);
    }
}
