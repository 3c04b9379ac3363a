package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.Ipam;
import io.jcompose.runtime.api.model.NetworkConnectRequest;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.NetworkCreateResponse;
import io.jcompose.runtime.api.model.NetworkDisconnectRequest;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.server.NetworkBackend;
import io.jcompose.runtime.network.Endpoint;
import io.jcompose.runtime.network.NetworkService;
import io.jcompose.runtime.network.NetworkSpec;
import io.jcompose.runtime.network.NetworkState;
import io.jcompose.runtime.network.ipam.IpamConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link NetworkBackend} on the real {@link NetworkService}. Docker's predefined networks:
 * {@code host} and {@code none} are listed (they need no kernel object); {@code bridge} is a real
 * bridge network of that name (172.17.0.0/16 when free on the host, bridge {@code jc<tag>-bridge0}) made when the first container needs it
 * and removed when its last container goes, so an idle engine leaves nothing on the host.
 */
final class Networks implements NetworkBackend {

    static final String BRIDGE = "bridge";
    static final Set<String> PREDEFINED = Set.of("bridge", "host", "none");

    private final NetworkService service;
    private final EventSink events;
    private volatile Containers containers;

    Networks(NetworkService service, EventSink events) {
        this.service = service;
        this.events = events;
    }

    void containers(Containers c) {
        this.containers = c;
    }

    NetworkService service() {
        return service;
    }

    /** The real network for a name/id, creating {@code bridge} on demand; 404 otherwise. */
    synchronized NetworkState require(String idOrName) {
        Optional<NetworkState> n = service.find(idOrName);
        if (n.isPresent()) {
            return n.get();
        }
        if (idOrName.equals(BRIDGE) || idOrName.equals(predefinedId(BRIDGE))) {
            return service.createDefaultBridge(BRIDGE); // 172.17/16 unless the host (or another engine) uses it
        }
        throw EngineApiException.notFound("network " + idOrName + " not found");
    }

    /** Attaches in flight to the on-demand {@code bridge}: it has no endpoint for them yet, but is in use. */
    private int bridgeAttaches;

    /**
     * Attaches a container's namespace to a network ({@code bridge} is made first if needed).
     * While the attach runs, {@link #releaseBridgeIfIdle} leaves the on-demand bridge alone: a
     * container exiting at that moment would otherwise remove the network a starting one is
     * joining ("network … not found"). The veth work itself runs outside this object's lock.
     */
    NetworkState attach(String network, String containerId, java.nio.file.Path netns, io.jcompose.runtime.network.EndpointSpec spec) {
        NetworkState n;
        synchronized (this) {
            n = require(network);
            if (n.name().equals(BRIDGE)) {
                bridgeAttaches++;
            }
        }
        try {
            service.attach(n.id(), containerId, netns, spec);
            return n;
        } finally {
            if (n.name().equals(BRIDGE)) {
                synchronized (this) {
                    bridgeAttaches--;
                }
            }
        }
    }

    /** Removes the on-demand {@code bridge} network once no container is attached or attaching to it. */
    synchronized void releaseBridgeIfIdle() {
        if (bridgeAttaches == 0) {
            service.find(BRIDGE).filter(n -> n.endpoints().isEmpty()).ifPresent(n -> service.removeNetwork(n.id()));
        }
    }

    static String predefinedId(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("jcompose-network-" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public NetworkCreateResponse create(NetworkCreateRequest request) {
        String name = request.name();
        if (name == null || name.isBlank()) {
            throw EngineApiException.badRequest("network name is required");
        }
        if (PREDEFINED.contains(name)) {
            throw EngineApiException.forbidden(name + " is a pre-defined network and cannot be created");
        }
        if (request.driver() != null && !request.driver().isEmpty() && !request.driver().equals("bridge")) {
            throw EngineApiException.notFound("plugin \"" + request.driver() + "\" not found");
        }
        if (service.find(name).filter(n -> n.name().equals(name)).isPresent()) {
            throw EngineApiException.conflict("network with name " + name + " already exists");
        }
        List<IpamConfig> ipam = new ArrayList<>();
        Ipam req = request.ipam();
        if (req != null && req.config() != null) {
            for (Ipam.Config c : req.config()) {
                ipam.add(new IpamConfig(c.subnet(), c.ipRange(), c.gateway(), c.auxiliaryAddresses()));
            }
        }
        NetworkSpec spec = new NetworkSpec(name, Boolean.TRUE.equals(request.internal()), Boolean.TRUE.equals(request.enableIpv6()),
                Boolean.TRUE.equals(request.attachable()), request.labels(), request.options(), ipam);
        NetworkState n;
        try {
            n = service.createNetwork(spec);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().contains("already exists") ? EngineApiException.conflict(e.getMessage())
                    : EngineApiException.badRequest(e.getMessage());
        }
        events.publish(EventSink.event("network", "create", n.id(), Map.of("name", n.name(), "type", "bridge")));
        return new NetworkCreateResponse(n.id(), "");
    }

    @Override
    public List<NetworkResource> list(Filters filters) {
        List<NetworkResource> out = new ArrayList<>();
        boolean bridgeSeen = false;
        for (NetworkState n : service.list()) {
            bridgeSeen |= n.name().equals(BRIDGE);
            out.add(resource(n));
        }
        for (String p : List.of("bridge", "host", "none")) {
            if (!p.equals(BRIDGE) || !bridgeSeen) {
                out.add(predefined(p));
            }
        }
        Filters f = filters == null ? Filters.NONE : filters;
        return out.stream()
                .filter(r -> f.match("name", r.name()))
                .filter(r -> f.fuzzyMatch("id", r.id()))
                .filter(r -> f.matchLabels("label", r.labels()))
                .filter(r -> f.exactMatch("driver", r.driver()))
                .filter(r -> f.exactMatch("type", PREDEFINED.contains(r.name()) ? "builtin" : "custom"))
                .filter(r -> f.exactMatch("scope", r.scope()))
                .toList();
    }

    private NetworkResource predefined(String name) {
        String driver = name.equals("none") ? "null" : name;
        Ipam ipam = new Ipam("default", null, name.equals("bridge") ? List.of(new Ipam.Config("172.17.0.0/16", null, "172.17.0.1", null)) : List.of());
        return new NetworkResource(name, predefinedId(name), "0001-01-01T00:00:00Z", "local", driver, false, ipam, false, false, false, false,
                Map.of(), Map.of(), Map.of());
    }

    NetworkResource resource(NetworkState n) {
        Map<String, NetworkResource.NetworkContainer> members = new LinkedHashMap<>();
        Function<String, String> names = containers == null ? id -> id : containers::nameOf;
        for (Endpoint e : n.endpoints().values()) {
            members.put(e.containerId(), new NetworkResource.NetworkContainer(names.apply(e.containerId()), endpointId(e), e.mac(),
                    e.ipv4() == null ? "" : e.ipv4() + "/" + e.ipv4Prefix(), e.ipv6() == null ? "" : e.ipv6() + "/" + e.ipv6Prefix()));
        }
        List<Ipam.Config> cfg = n.pools().stream().map(p -> new Ipam.Config(p.subnet(), p.range(), p.gateway(), null)).toList();
        return new NetworkResource(n.name(), n.id(), n.created(), "local", "bridge", n.enableIpv6(), new Ipam("default", null, cfg), n.internal(),
                n.attachable(), false, false, members, n.driverOpts(), n.labels());
    }

    /** A stable endpoint id for a container on a network. */
    static String endpointId(Endpoint e) {
        return predefinedId(e.networkId() + "/" + e.containerId());
    }

    @Override
    public NetworkResource inspect(String id, boolean verbose, String scope) {
        Optional<NetworkState> n = service.find(id);
        if (n.isPresent()) {
            return resource(n.get());
        }
        if (id.equals(BRIDGE) || id.equals(predefinedId(BRIDGE))) {
            // Docker's bridge always exists: make ours now, so the gateway we report is a real local
            // address (Testcontainers in a container connects to it; 172.17/16 may be taken here)
            return resource(require(BRIDGE));
        }
        for (String p : PREDEFINED) {
            if (id.equals(p) || predefinedId(p).startsWith(id) && id.length() >= 3) {
                return predefined(p);
            }
        }
        throw EngineApiException.notFound("network " + id + " not found");
    }

    @Override
    public void remove(String id) {
        NetworkState n = service.find(id).orElse(null);
        if (n == null) {
            if (PREDEFINED.contains(id)) {
                throw EngineApiException.forbidden(id + " is a pre-defined network and cannot be removed");
            }
            throw EngineApiException.notFound("network " + id + " not found");
        }
        if (PREDEFINED.contains(n.name())) {
            throw EngineApiException.forbidden(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (!n.endpoints().isEmpty()) {
            throw EngineApiException.forbidden("error while removing network: network " + n.name() + " id " + n.id() + " has active endpoints");
        }
        service.removeNetwork(n.id());
        events.publish(EventSink.event("network", "destroy", n.id(), Map.of("name", n.name(), "type", "bridge")));
    }

    @Override
    public void connect(String id, NetworkConnectRequest request) {
        if (PREDEFINED.contains(id) && !id.equals(BRIDGE)) {
            throw EngineApiException.forbidden("container cannot be disconnected from host network or connected to host network");
        }
        NetworkState n = service.find(id).orElseGet(() -> require(id));
        containers.connect(n, request.container(), request.endpointConfig());
    }

    @Override
    public void disconnect(String id, NetworkDisconnectRequest request) {
        NetworkState n = service.find(id).orElseThrow(() -> EngineApiException.notFound("network " + id + " not found"));
        containers.disconnect(n, request.container(), Boolean.TRUE.equals(request.force()));
    }

    @Override
    public PruneReport prune(Filters filters) {
        List<String> deleted = new ArrayList<>();
        Filters f = filters == null ? Filters.NONE : filters;
        for (NetworkState n : service.list()) {
            if (n.endpoints().isEmpty() && !PREDEFINED.contains(n.name()) && f.matchLabels("label", n.labels())) {
                remove(n.id());
                deleted.add(n.name());
            }
        }
        return PruneReport.networks(deleted);
    }
}
