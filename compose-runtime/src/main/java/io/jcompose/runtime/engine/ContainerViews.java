package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.EndpointSettings;
import io.jcompose.runtime.api.model.NetworkSettings;
import io.jcompose.runtime.api.model.PortBinding;
import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerState;
import io.jcompose.runtime.container.ProcessArgs;
import io.jcompose.runtime.network.Endpoint;
import io.jcompose.runtime.network.NetworkService;
import io.jcompose.runtime.network.NetworkState;
import io.jcompose.runtime.supervise.RestartSupervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code inspect} and {@code ps} show of containers: Docker's inspect document (State,
 * NetworkSettings with the live endpoints and ports), list summaries with Docker's filters and
 * its {@code Status} texts. Reads the records, the engine's state files and the network
 * service; changes nothing.
 */
final class ContainerViews {
    private final ContainerEngine engine;
    private final NetworkService net;
    private final Map<String, ContainerRecord> records;
    private final Health health;
    private final RestartSupervisor supervisor;
    private final Execs execs;
    private final Path containersDir;
    /** The engine's state of a container (404 when it is gone), as {@link Containers} reads it. */
    private final Function<String, ContainerState> stateOf;

    ContainerViews(ContainerEngine engine, NetworkService net, Map<String, ContainerRecord> records, Health health,
            RestartSupervisor supervisor, Execs execs, Path containersDir, Function<String, ContainerState> stateOf) {
        this.engine = engine;
        this.net = net;
        this.records = records;
        this.health = health;
        this.supervisor = supervisor;
        this.execs = execs;
        this.containersDir = containersDir;
        this.stateOf = stateOf;
    }

    /** Docker's inspect document of a known container. */
    ContainerInspect inspect(ContainerRecord r) {
        ContainerState s = stateOf.apply(r.id());
        List<String> args = ProcessArgs.resolve(r.config().entrypoint(), r.config().cmd(), null, null);
        Path dir = containersDir.resolve(r.id());
        return new ContainerInspect(r.id(), r.created(), args.isEmpty() ? "" : args.getFirst(),
                args.isEmpty() ? List.of() : args.subList(1, args.size()), apiState(r.id(), s), r.imageId(), dir.resolve("resolv.conf").toString(),
                dir.resolve("hostname").toString(), dir.resolve("hosts").toString(), engine.logPath(r.id()).toString(), "/" + r.name(),
                supervisor.record(r.id()).restartCount(), "overlay2", "linux", execs.idsOf(r.id()), r.hostConfig(), r.mounts(), r.config(), networkSettings(r, s),
                null, null);
    }

    /** Go's RFC3339Nano in UTC: trailing zeros of the fraction dropped. */
    static String rfc3339Nano(Instant t) {
        String s = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(t);
        if (t.getNano() != 0) {
            s += "." + String.format("%09d", t.getNano()).replaceAll("0+$", "");
        }
        return s + "Z";
    }

    private io.jcompose.runtime.api.model.ContainerState apiState(String id, ContainerState s) {
        String never = io.jcompose.runtime.api.model.ContainerState.NEVER;
        boolean restarting = restarting(id, s);
        return new io.jcompose.runtime.api.model.ContainerState(restarting ? "restarting" : s.status().dockerName(), s.running() || restarting,
                s.status() == ContainerState.Status.PAUSED, restarting, s.oomKilled(), false, s.pid(), s.exitCode(), s.error() == null ? "" : s.error(),
                s.startedAt() == null ? never : rfc3339Nano(s.startedAt()), s.finishedAt() == null ? never : rfc3339Nano(s.finishedAt()),
                health.of(id));
    }

    private NetworkSettings networkSettings(ContainerRecord r, ContainerState s) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        List<Endpoint> eps = s.running() ? net.endpoints(r.id()) : List.of();
        for (var e : r.networks().entrySet()) {
            Optional<NetworkState> n = net.find(e.getKey());
            Endpoint ep = n.flatMap(x -> eps.stream().filter(p -> p.networkId().equals(x.id())).findFirst()).orElse(null);
            EndpointSettings asked = e.getValue();
            List<String> aliases = new ArrayList<>(asked == null || asked.aliases() == null ? List.of() : asked.aliases());
            if (!e.getKey().equals(Networks.BRIDGE) && !aliases.contains(r.id().substring(0, 12))) {
                aliases.add(r.id().substring(0, 12));
            }
            out.put(e.getKey(), new EndpointSettings(asked == null ? null : asked.ipamConfig(), null,
                    e.getKey().equals(Networks.BRIDGE) ? null : aliases, ep == null ? "" : ep.mac(), null, null,
                    n.map(NetworkState::id).orElse(""), ep == null ? "" : Networks.endpointId(ep), ep == null || ep.gateway() == null ? "" : ep.gateway(),
                    ep == null || ep.ipv4() == null ? "" : ep.ipv4(), ep == null ? 0 : ep.ipv4Prefix(),
                    ep == null || ep.gateway6() == null ? "" : ep.gateway6(), ep == null || ep.ipv6() == null ? "" : ep.ipv6(),
                    ep == null ? 0 : ep.ipv6Prefix(), ep == null ? null : ep.dnsNames()));
        }
        if (r.networkMode().equals("host") || r.networkMode().equals("none")) {
            String m = r.networkMode();
            out.put(m, new EndpointSettings(null, null, null, "", null, null, Networks.predefinedId(m), "", "", "", 0, "", "", 0, null));
        }
        Map<String, List<PortBinding>> ports = new LinkedHashMap<>();
        if (r.config().exposedPorts() != null) {
            r.config().exposedPorts().keySet().forEach(p -> ports.put(p, null));
        }
        if (s.running()) {
            for (var b : net.ports(r.id())) {
                ports.computeIfAbsent(b.containerPort() + "/" + b.protocol(), k -> new ArrayList<>())
                        .add(new PortBinding(b.hostIp() == null || b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp(), Integer.toString(b.hostPort())));
            }
        }
        EndpointSettings first = out.values().stream().findFirst().orElse(null);
        boolean onBridge = out.containsKey(Networks.BRIDGE);
        EndpointSettings legacy = onBridge ? out.get(Networks.BRIDGE) : null;
        return new NetworkSettings("", s.running() ? r.id() : "", s.running() && net.sandbox(r.id()).isPresent() ? net.sandbox(r.id()).get().toString() : "",
                ports, legacy == null ? "" : legacy.endpointId(), legacy == null ? "" : legacy.gateway(),
                legacy == null ? "" : legacy.ipAddress(), legacy == null ? 0 : legacy.ipPrefixLen(), legacy == null ? "" : legacy.macAddress(), out);
    }

    /** {@code GET /containers/json}: newest first, with Docker's filters. */
    List<ContainerSummary> list(ContainerBackend.ListOptions options) {
        Filters f = options.filters() == null ? Filters.NONE : options.filters();
        List<ContainerSummary> out = new ArrayList<>();
        List<ContainerRecord> all = new ArrayList<>(records.values());
        all.sort(Comparator.comparing(ContainerRecord::created).reversed());
        for (ContainerRecord r : all) {
            if (r.config() == null || !records.containsKey(r.id())) {
                continue;
            }
            ContainerState s;
            try {
                s = engine.inspect(r.id());
            } catch (IOException | RuntimeException e) {
                continue; // being created or removed
            }
            boolean restarting = restarting(r.id(), s);
            String status = restarting ? "restarting" : s.status().dockerName();
            boolean statusFilter = f.has("status");
            if (!options.all() && !s.running() && !restarting && !statusFilter) {
                continue;
            }
            if (!f.exactMatch("status", status) || !f.match("name", r.name()) && !f.match("name", "/" + r.name())
                    || !f.fuzzyMatch("id", r.id()) || !f.matchLabels("label", r.config().labels())
                    || f.has("exited") && (s.status() != ContainerState.Status.EXITED || !f.get("exited").contains(Integer.toString(s.exitCode())))
                    || f.has("network") && r.networks().keySet().stream().noneMatch(n -> f.get("network").contains(n))
                    || f.has("health") && !f.get("health").contains(health.status(r.id()))
                    || f.has("ancestor") && !f.get("ancestor").contains(r.imageRef()) && !f.get("ancestor").contains(r.imageId())
                    || f.has("volume") && r.mounts().stream().noneMatch(m -> f.get("volume").contains(m.name()) || f.get("volume").contains(m.destination()))) {
                continue;
            }
            out.add(summary(r, s));
            if (options.limit() > 0 && out.size() >= options.limit()) {
                break;
            }
        }
        return out;
    }

    private ContainerSummary summary(ContainerRecord r, ContainerState s) {
        List<String> args = ProcessArgs.resolve(r.config().entrypoint(), r.config().cmd(), null, null);
        List<ContainerSummary.Port> ports = new ArrayList<>();
        if (s.running()) {
            net.ports(r.id()).forEach(b -> ports.add(new ContainerSummary.Port(b.hostIp() == null || b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp(),
                    b.containerPort(), b.hostPort(), b.protocol())));
        }
        NetworkSettings ns = networkSettings(r, s);
        return new ContainerSummary(r.id(), List.of("/" + r.name()), r.imageRef(), r.imageId(), String.join(" ", args),
                Instant.parse(r.created()).getEpochSecond(), ports, null, null, r.config().labels() == null ? Map.of() : r.config().labels(),
                restarting(r.id(), s) ? "restarting" : s.status().dockerName(),
                restarting(r.id(), s) ? restartingText(s) : statusText(s) + healthSuffix(r.id(), s), new ContainerSummary.SummaryHostConfig(r.networkMode()),
                new ContainerSummary.SummaryNetworkSettings(ns.networks()), r.mounts());
    }

    /** Waiting out the backoff before an automatic restart (Docker: {@code State.Restarting}, counted as running). */
    boolean restarting(String id, ContainerState s) {
        return !s.running() && supervisor.restarting(id);
    }

    /** Docker's {@code Status} column while restarting: {@code Restarting (1) 2 seconds ago}. */
    static String restartingText(ContainerState s) {
        return "Restarting (" + s.exitCode() + ") " + human(Duration.between(s.finishedAt() == null ? Instant.now() : s.finishedAt(), Instant.now())) + " ago";
    }

    /** Docker's {@code Status} column: {@code Up 5 seconds}, {@code Exited (0) 2 minutes ago}, {@code Created}. */
    static String statusText(ContainerState s) {
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + human(Duration.between(s.startedAt() == null ? Instant.now() : s.startedAt(), Instant.now()));
            case PAUSED -> "Up " + human(Duration.between(s.startedAt() == null ? Instant.now() : s.startedAt(), Instant.now())) + " (Paused)";
            case EXITED -> "Exited (" + s.exitCode() + ") " + (s.finishedAt() == null ? "" : human(Duration.between(s.finishedAt(), Instant.now())) + " ago");
        };
    }

    private String healthSuffix(String id, ContainerState s) {
        if (!s.running()) {
            return "";
        }
        return switch (health.status(id)) {
            case "healthy" -> " (healthy)";
            case "unhealthy" -> " (unhealthy)";
            case "starting" -> " (health: starting)";
            default -> "";
        };
    }

    /** go-units HumanDuration. */
    static String human(Duration d) {
        long sec = Math.max(0, d.toSeconds());
        if (sec < 1) {
            return "Less than a second";
        } else if (sec == 1) {
            return "1 second";
        } else if (sec < 60) {
            return sec + " seconds";
        }
        long min = sec / 60;
        if (min == 1) {
            return "About a minute";
        } else if (min < 60) {
            return min + " minutes";
        }
        long h = Math.round(sec / 3600.0);
        if (h == 1) {
            return "About an hour";
        } else if (h < 48) {
            return h + " hours";
        } else if (h < 24 * 7 * 2) {
            return h / 24 + " days";
        } else if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks";
        } else if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months";
        }
        return h / 24 / 365 + " years";
    }
}
