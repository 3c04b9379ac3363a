package io.jcompose.runtime.network;

import io.jcompose.runtime.state.StateStore;
import io.jcompose.runtime.sys.HostNames;
import io.jcompose.runtime.network.dns.DnsRecords;
import io.jcompose.runtime.network.dns.DnsResolver;
import io.jcompose.runtime.network.dns.DnsServer;
import io.jcompose.runtime.network.dns.HostsFile;
import io.jcompose.runtime.network.dns.ResolvConf;
import io.jcompose.runtime.network.dns.Upstream;
import io.jcompose.runtime.network.ipam.DefaultPools;
import io.jcompose.runtime.network.ipam.HostIpamLock;
import io.jcompose.runtime.network.ipam.IpamConfig;
import io.jcompose.runtime.network.ipam.Pool;
import io.jcompose.runtime.network.ipam.Subnet;
import io.jcompose.runtime.network.netlink.Address;
import io.jcompose.runtime.network.netlink.Link;
import io.jcompose.runtime.network.netlink.Route;
import io.jcompose.runtime.network.netlink.RtNetlink;
import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.network.nft.BridgeRules;
import io.jcompose.runtime.network.nft.LegacyTable;
import io.jcompose.runtime.network.nft.Nft;
import io.jcompose.runtime.network.nft.PortRule;
import io.jcompose.runtime.network.ports.EphemeralPorts;
import io.jcompose.runtime.network.ports.PortBinding;
import io.jcompose.runtime.network.ports.PortSpec;
import io.jcompose.runtime.network.ports.UserlandProxy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's networking, the one entry point the daemon calls: bridge networks with IPAM,
 * per-container network namespaces ("sandboxes"), endpoints (veth + addresses + routes + DNS
 * records), firewall rules in the engine's own table {@code inet jcompose-<tag>}, the embedded
 * DNS, and the contents of a container's {@code resolv.conf} and {@code hosts}.
 *
 * <p>Several engines may run on one host: every bridge, veth and the nft table carry the
 * engine's tag ({@link HostNames}), each engine touches only its own, and a new network's subnet
 * is chosen under a host-wide lock ({@link HostIpamLock}) looking at the host's routes and
 * addresses, so two engines never pick the same one.
 *
 * <p>Order of use for a container: {@link #createSandbox}, {@link #attach} per network (its
 * names answer from then on, before the process starts), start the process in the returned
 * netns, later {@link #detach}/{@link #removeSandbox}. All state is persisted under the data
 * root; a new instance on the same root rebuilds rules, bridges and DNS without duplicates.
 *
 * <p>Locking: the service's monitor guards the bookkeeping (networks, endpoints, address
 * reservations, rules) and is held only for short changes. The slow kernel work of one container
 * (making and deleting its namespace, creating and deleting its veth pair, configuring inside,
 * starting and stopping its DNS listeners) runs outside it, so containers started or stopped
 * together are set up and torn down in parallel; callers serialise the calls for one container.
 */
public final class NetworkService implements AutoCloseable {
    /** Whether the host has IPv6 (then ports published on no particular address are published on [::] too, as Docker does). */
    static final boolean IPV6_HOST = ipv6Host();


    /**
     * Settings. {@code hostUpstreams} overrides the host resolv.conf nameservers (tests point it
     * at a loopback test server); {@code dnsPort} is 53 except in tests; {@code names} are the
     * engine's kernel object names, from its data root; {@code nft} writes table
     * {@code names.nftTable()}.
     */
    public record Options(Path dataRoot, Path hostResolvConf, List<InetSocketAddress> hostUpstreams,
            Duration forwardTimeout, int dnsPort, boolean reserveDockerBridgeSubnet, HostNames names, Nft nft) {
        /** The host's settings for the engine on {@code dataRoot}, whose tag this claims ({@link io.jcompose.runtime.sys.HostTags}). */
        public static Options defaults(Path dataRoot) {
            HostNames names = io.jcompose.runtime.sys.HostTags.host().claim(dataRoot);
            return new Options(dataRoot, ResolvConf.HOST_FILE, null, Duration.ofSeconds(4), 53, true, names, new Nft(names.nftTable()));
        }

        public Options withHostUpstreams(List<InetSocketAddress> value) {
            return new Options(dataRoot, hostResolvConf, value, forwardTimeout, dnsPort, reserveDockerBridgeSubnet, names, nft);
        }

        public Options withForwardTimeout(Duration value) {
            return new Options(dataRoot, hostResolvConf, hostUpstreams, value, dnsPort, reserveDockerBridgeSubnet, names, nft);
        }
    }

    private static final int DEFAULT_MTU = 1500;
    private static final Path IPV4_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    private static final Path IPV6_FORWARD = Path.of("/proc/sys/net/ipv6/conf/all/forwarding");

    private final Options options;
    private final StateStore store;
    private final Map<String, NetworkState> networks = new LinkedHashMap<>();
    private final Map<String, SandboxState> sandboxes = new ConcurrentHashMap<>();
    private final DnsRecords records = new DnsRecords();
    private final DnsServer dns;
    private final DnsResolver resolver;
    private final ResolvConf hostResolv;
    private final List<Upstream> hostUpstreams;
    private final RtNetlink netlink;
    private final EventLoopGroup proxyGroup = new MultiThreadIoEventLoopGroup(1,
            NetNamespace.hostThreadFactory("jc-proxy"), NioIoHandler.newFactory());
    private final Map<String, List<UserlandProxy>> proxies = new ConcurrentHashMap<>();
    /** A netlink socket opened inside each sandbox, kept so an attach needs no thread switch. */
    private final Map<String, RtNetlink> sandboxNetlink = new ConcurrentHashMap<>();
    private final EphemeralPorts ephemeral = EphemeralPorts.fromKernel();
    /** Endpoints being attached (kernel work under way): their addresses and ifnames are taken. Guarded by this. */
    private final List<Reservation> reservations = new ArrayList<>();
    /** Containers whose sandbox is being made. Guarded by this. */
    private final java.util.Set<String> sandboxesInCreation = new java.util.HashSet<>();
    private boolean closed;

    /** An endpoint between its address allocation and its record: what a concurrent attach must not take. */
    private record Reservation(String networkId, String containerId, String ifname, InetAddress ip4, InetAddress ip6) {}

    /** Opens the service on {@code options.dataRoot()} and restores what was there. */
    public NetworkService(Options options) {
        this.options = options;
        // records under <dataRoot>/network/{networks,sandboxes}/, in the camelCase JSON they always had
        this.store = new StateStore(options.dataRoot().resolve("network"),
                tools.jackson.databind.json.JsonMapper.builder().disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
        this.hostResolv = options.hostResolvConf().equals(ResolvConf.HOST_FILE) ? ResolvConf.readHost()
                : ResolvConf.read(options.hostResolvConf());
        this.hostUpstreams = options.hostUpstreams() != null
                ? options.hostUpstreams().stream().map(Upstream::fromHost).toList()
                : hostResolv.nameservers().stream().map(NetworkService::nameserver).filter(a -> a != null)
                        .map(Upstream::fromHost).toList();
        this.resolver = new DnsResolver(records, options.forwardTimeout());
        this.dns = new DnsServer(resolver, options.dnsPort());
        this.netlink = RtNetlink.open();
        restore();
    }

    // ------------------------------------------------------------------ networks

    /** Creates a network: picks subnets, makes the bridge with its gateway addresses, updates rules. */
    public synchronized NetworkState createNetwork(NetworkSpec spec) {
        return createNetwork(spec, null);
    }

    /**
     * Docker's predefined {@code bridge} network ({@code docker0} there): bridge
     * {@link HostNames#defaultBridge()}, subnet 172.17.0.0/16 unless the host or another engine
     * uses it, else the first free subnet of the default pools.
     */
    public synchronized NetworkState createDefaultBridge(String name) {
        return createNetwork(NetworkSpec.named(name).withDriverOpts(Map.of(NetworkSpec.OPT_BRIDGE_NAME, options.names().defaultBridge())),
                DefaultPools.DEFAULT_BRIDGE);
    }

    /** The engine's kernel object names. */
    public HostNames names() {
        return options.names();
    }

    private NetworkState createNetwork(NetworkSpec spec, Subnet preferred) {
        if (find(spec.name()).isPresent()) {
            throw new IllegalArgumentException("network with name " + spec.name() + " already exists");
        }
        String id = randomId();
        while (spec.driverOpts().get(NetworkSpec.OPT_BRIDGE_NAME) == null && netlink.linkExists(options.names().bridge(id))) {
            id = randomId(); // 7 hex of the id name the bridge: make sure it is not taken
        }
        String bridge = spec.driverOpts().getOrDefault(NetworkSpec.OPT_BRIDGE_NAME, options.names().bridge(id));
        if (bridge.length() > 15) {
            throw new IllegalArgumentException("network " + spec.name() + ": bridge name \"" + bridge + "\" is longer than 15 characters");
        }
        int mtu = parseMtu(spec);
        String networkId = id;
        NetworkState n = HostIpamLock.holding(() -> {
            // under the host-wide lock: another engine's bridge gets its addresses before we look
            List<Pool> pools = choosePools(networkId, spec, preferred);
            NetworkState made = new NetworkState(networkId, spec.name(), bridge, mtu, spec.internal(), spec.enableIpv6(),
                    spec.attachable(), spec.labels(), spec.driverOpts(), pools.stream().map(NetworkService::toState).toList(),
                    Map.of(), Instant.now().toString());
            createBridge(made);
            return made;
        });
        try {
            networks.put(id, n);
            if (!n.internal()) enableForwarding(n.enableIpv6());
            syncFirewall();
            save(n);
        } catch (RuntimeException e) {
            networks.remove(id);
            netlink.deleteLinkIfExists(bridge);
            safeSyncFirewall();
            throw e;
        }
        records.addNetwork(id, n.name());
        return n;
    }

    /** Removes a network (by id, unique id prefix or name); refuses while containers are attached. */
    public synchronized void removeNetwork(String idOrName) {
        NetworkState n = require(idOrName);
        if (!n.endpoints().isEmpty() || reservations.stream().anyMatch(r -> r.networkId().equals(n.id()))) {
            throw new IllegalStateException("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        netlink.deleteLinkIfExists(n.bridge());
        // the records go with the link, before the firewall: a record left behind re-creates the bridge at the next start
        networks.remove(n.id());
        store.deleteLater(NETWORKS, n.id());
        records.removeNetwork(n.id());
        syncFirewall();
    }

    public synchronized List<NetworkState> list() {
        return List.copyOf(networks.values());
    }

    /** Looks a network up by full id, name, then unique id prefix (Docker's order). */
    public synchronized Optional<NetworkState> find(String idOrName) {
        NetworkState byId = networks.get(idOrName);
        if (byId != null) return Optional.of(byId);
        for (NetworkState n : networks.values()) if (n.name().equals(idOrName)) return Optional.of(n);
        List<NetworkState> prefix = networks.values().stream().filter(n -> n.id().startsWith(idOrName)).toList();
        return prefix.size() == 1 ? Optional.of(prefix.getFirst()) : Optional.empty();
    }

    /** For {@code external: true}: the network must exist. */
    public NetworkState requireExternal(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "network " + name + " declared as external, but could not be found"));
    }

    private NetworkState require(String idOrName) {
        return find(idOrName).orElseThrow(() -> new IllegalArgumentException("network " + idOrName + " not found"));
    }

    // ------------------------------------------------------------------ sandboxes

    /** Creates the container's network namespace ({@code /run/netns/jc-<id>}, lo up) and starts its DNS. */
    public Path createSandbox(String containerId) {
        return createSandbox(containerId, List.of(), List.of());
    }

    /**
     * @param dnsServers the container's {@code dns:} servers (upstreams dialled from inside it)
     * @param extraHosts the container's {@code extra_hosts}: answered by the embedded DNS (and
     *     to be written to its hosts file with {@link #hostsFile})
     */
    public Path createSandbox(String containerId, List<String> dnsServers,
            List<HostsFile.ExtraHost> extraHosts) {
        for (HostsFile.ExtraHost h : extraHosts) {
            try {
                InetAddress.ofLiteral(h.ip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid IP address in extra_hosts entry " + h.name() + ":" + h.ip());
            }
        }
        Path ns = NetNamespace.pathFor(containerId);
        SandboxState s = new SandboxState(containerId, ns.toString(), dnsServers, extraHosts, List.of());
        synchronized (this) {
            if (sandboxes.containsKey(containerId) || sandboxesInCreation.contains(containerId) || Files.exists(ns)) {
                // never fall into the cleanup below: it would delete the existing namespace
                throw new IllegalStateException("container " + containerId + " already has a network namespace " + ns);
            }
            sandboxesInCreation.add(containerId);
            resolver.setScope(containerId, scopeFor(s));
        }
        // the namespace is this container's alone: made without the service's lock
        try {
            // one thread inside the new namespace: lo, our netlink socket, the DNS listeners
            sandboxNetlink.put(containerId, NetNamespace.create(ns, () -> {
                RtNetlink in = RtNetlink.open();
                try {
                    dns.listenHere(containerId);
                } catch (RuntimeException | InterruptedException e) {
                    in.close();
                    throw e;
                }
                return in;
            }));
            save(s);
        } catch (RuntimeException e) {
            resolver.removeScope(containerId);
            dns.stop(containerId);
            RtNetlink nl = sandboxNetlink.remove(containerId);
            if (nl != null) nl.close();
            NetNamespace.delete(ns);
            synchronized (this) {
                sandboxesInCreation.remove(containerId);
            }
            throw e;
        }
        synchronized (this) {
            sandboxesInCreation.remove(containerId);
            sandboxes.put(containerId, s);
        }
        return ns;
    }

    /**
     * The container's namespace file, if it has a sandbox. For {@code network_mode:
     * service:x | container:x} the daemon starts the process in x's sandbox; for {@code none} it
     * creates a sandbox and attaches nothing; for {@code host} it makes no sandbox at all.
     */
    public Optional<Path> sandbox(String containerId) {
        SandboxState s = sandboxes.get(containerId);
        return s == null ? Optional.empty() : Optional.of(Path.of(s.netns()));
    }

    /**
     * Forgets every endpoint, stops the container's DNS, deletes its namespace, and returns once
     * the host-side veths are gone. Only the bookkeeping holds the service's lock (see the class
     * comment).
     *
     * <p>The veths are not deleted one by one: each RTM_DELLINK waits for an RCU grace period
     * under the kernel's global rtnl lock, so the exits of 50 containers stopped together deleted
     * their veths one after the other (~10–30 ms each). Once the namespace's last reference (its
     * bind mount, our sockets in it, its processes) is gone the kernel destroys it, and with it
     * the container ends of the veths and so the pairs, namespaces dying together in one batch.
     * This waits for that; a veth still there after {@link #VETH_TEARDOWN_WAIT} (the namespace
     * is held elsewhere, e.g. by a container started in it with {@code network_mode: container:x})
     * is deleted explicitly, as before.
     */
    public void removeSandbox(String containerId) {
        List<String> attached;
        synchronized (this) {
            attached = networks.values().stream().filter(n -> n.endpoints().containsKey(containerId)).map(NetworkState::id).toList();
        }
        List<String> hostVeths = new ArrayList<>();
        for (String networkId : attached) {
            Endpoint ep = forgetEndpoint(networkId, containerId);
            if (ep != null) hostVeths.add(ep.hostVeth());
        }
        unpublish(containerId);
        dns.stop(containerId);
        resolver.removeScope(containerId);
        SandboxState s = sandboxes.remove(containerId);
        RtNetlink nl = sandboxNetlink.remove(containerId);
        if (nl != null) nl.close();
        NetNamespace.delete(s != null ? Path.of(s.netns()) : NetNamespace.pathFor(containerId));
        store.deleteLater(SANDBOXES, containerId);
        awaitVethsGone(hostVeths);
    }

    /** How long {@link #removeSandbox} waits for the kernel to destroy a dead namespace's veths. */
    static final Duration VETH_TEARDOWN_WAIT = Duration.ofSeconds(2);

    private void awaitVethsGone(List<String> hostVeths) {
        long deadline = System.nanoTime() + VETH_TEARDOWN_WAIT.toNanos();
        for (String veth : hostVeths) {
            Path sys = Path.of("/sys/class/net", veth); // the host namespace's view: the daemon's own sysfs
            try {
                while (Files.exists(sys) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (Files.exists(sys)) netlink.deleteLinkIfExists(veth); // the namespace lives on elsewhere
        }
    }

    /** The bookkeeping of a detach (records, endpoint), without touching the kernel; null if not attached. */
    private synchronized Endpoint forgetEndpoint(String networkId, String containerId) {
        NetworkState n = networks.get(networkId);
        Endpoint ep = n == null ? null : n.endpoints().get(containerId);
        if (ep == null) return null;
        records.unregister(networkId, containerId);
        Map<String, Endpoint> eps = new LinkedHashMap<>(n.endpoints());
        eps.remove(containerId);
        NetworkState updated = n.withEndpoints(eps);
        networks.put(n.id(), updated);
        save(updated);
        return ep;
    }

    // ------------------------------------------------------------------ endpoints

    /**
     * Connects a container to a network: veth pair (host side on the bridge, container side
     * {@code ethN}), addresses, default route (not for internal networks, and only the first
     * one), DNS records. Nothing is left behind if a step fails.
     */
    public Endpoint attach(String networkIdOrName, String containerId, Path netns, EndpointSpec spec) {
        NetworkState n;
        Pool v4, v6;
        InetAddress ip4, ip6;
        String ifname;
        Reservation reservation;
        synchronized (this) { // the addresses and the ifname are chosen and reserved under the lock...
            n = require(networkIdOrName);
            String networkId = n.id();
            if (n.endpoints().containsKey(containerId)
                    || reservations.stream().anyMatch(r -> r.networkId().equals(networkId) && r.containerId().equals(containerId))) {
                throw new IllegalStateException("endpoint with name " + containerId + " already exists in network " + n.name());
            }
            List<Pool> pools = n.pools().stream().map(NetworkService::fromState).toList();
            v4 = pools.stream().filter(p -> p.subnet().isIpv4()).findFirst().orElse(null);
            v6 = pools.stream().filter(p -> !p.subnet().isIpv4()).findFirst().orElse(null);
            ip4 = v4 == null ? null : v4.allocate(used(n, true), parseOrNull(spec.ipv4(), "ipv4_address"));
            ip6 = v6 == null ? null : v6.allocate(used(n, false), parseOrNull(spec.ipv6(), "ipv6_address"));
            if (spec.ipv6() != null && v6 == null) {
                throw new IllegalArgumentException("network " + n.name() + " has no IPv6 subnet for ipv6_address " + spec.ipv6());
            }
            ifname = nextIfname(containerId);
            reservation = new Reservation(networkId, containerId, ifname, ip4, ip6);
            reservations.add(reservation);
        }
        // ...the kernel work (veth pair, addresses, routes) runs without it
        String hostVeth = options.names().veth(n.id() + "/" + containerId);
        String mac = spec.mac() != null ? spec.mac().toLowerCase(java.util.Locale.ROOT) : macFor(ip4);
        boolean wantDefaultRoute = !n.internal();
        try {
            Link bridge = netlink.link(n.bridge());
            NetNamespace.withFd(netns, fd -> {
                netlink.createVeth(hostVeth, ifname, n.mtu(), bridge.index(), fd, mac);
                return null;
            });
            RtNetlink in = netlinkIn(containerId, netns);
            try {
                configureInside(in, ifname, ip4, v4, ip6, v6, wantDefaultRoute);
            } finally {
                if (in != sandboxNetlink.get(containerId)) in.close();
            }
        } catch (RuntimeException e) {
            netlink.deleteLinkIfExists(hostVeth);
            synchronized (this) {
                reservations.remove(reservation);
            }
            throw e;
        }
        Endpoint ep = new Endpoint(n.id(), containerId, ifname, hostVeth, mac,
                ip4 == null ? null : Subnet.text(ip4), v4 == null ? 0 : v4.subnet().prefixLength(),
                v4 == null ? null : Subnet.text(v4.gateway()),
                ip6 == null ? null : Subnet.text(ip6), v6 == null ? 0 : v6.subnet().prefixLength(),
                v6 == null ? null : Subnet.text(v6.gateway()), spec.dnsNames());
        synchronized (this) {
            reservations.remove(reservation);
            NetworkState now = networks.get(n.id()); // other endpoints may have come meanwhile; removal waits for reservations
            Map<String, Endpoint> eps = new LinkedHashMap<>(now.endpoints());
            eps.put(containerId, ep);
            NetworkState updated = now.withEndpoints(eps);
            networks.put(n.id(), updated);
            save(updated);
            records.register(n.id(), new DnsRecords.Entry(containerId, spec.dnsNames(), ip4, ip6));
            SandboxState s = sandboxes.get(containerId);
            if (s != null) resolver.setScope(containerId, scopeFor(s));
        }
        return ep;
    }

    /** Disconnects a container: its names stop answering at once, the veth pair goes away. */
    public void detach(String networkIdOrName, String containerId) {
        String networkId;
        Endpoint ep;
        synchronized (this) {
            NetworkState n = require(networkIdOrName);
            ep = n.endpoints().get(containerId);
            if (ep == null) return;
            networkId = n.id();
            records.unregister(networkId, containerId);
        }
        // Without the lock: deleting a link waits for the kernel (RCU grace periods after the
        // rtnl lock), so the endpoints of containers stopped together go in parallel. From inside
        // the sandbox when it has its own netlink socket: the host's one socket serialises too.
        // The endpoint stays recorded meanwhile, so its address is not handed out again yet.
        RtNetlink in = sandboxNetlink.get(containerId);
        if (in == null || !in.deleteLinkIfExists(ep.ifname())) {
            netlink.deleteLinkIfExists(ep.hostVeth()); // the kernel drops routes through it too
        }
        synchronized (this) {
            NetworkState n = networks.get(networkId);
            if (n == null || !n.endpoints().containsKey(containerId)) return; // a concurrent detach finished first
            Map<String, Endpoint> eps = new LinkedHashMap<>(n.endpoints());
            eps.remove(containerId);
            NetworkState updated = n.withEndpoints(eps);
            networks.put(n.id(), updated);
            save(updated);
            SandboxState s = sandboxes.get(containerId);
            if (s != null) {
                resolver.setScope(containerId, scopeFor(s));
                if (in != null) restoreDefaultRoute(containerId, in);
            }
        }
    }

    /** After a detach: the next non-internal endpoint (attach order) takes over the default route. */
    private void restoreDefaultRoute(String containerId, RtNetlink in) {
        for (Endpoint e : endpoints(containerId)) {
            if (networks.get(e.networkId()).internal()) continue;
            int index = in.link(e.ifname()).index();
            List<Route> routes = in.routes();
            if (e.gateway() != null && routes.stream().noneMatch(r -> r.destination() == null && r.gateway() instanceof Inet4Address)) {
                in.addDefaultRoute(InetAddress.ofLiteral(e.gateway()), index);
            }
            if (e.gateway6() != null && routes.stream().noneMatch(r -> r.destination() == null && r.gateway() != null
                    && !(r.gateway() instanceof Inet4Address))) {
                in.addDefaultRoute(InetAddress.ofLiteral(e.gateway6()), index);
            }
            return;
        }
    }

    /** The container's endpoints in attach order (eth0 first). */
    public synchronized List<Endpoint> endpoints(String containerId) {
        return networks.values().stream().map(n -> n.endpoints().get(containerId)).filter(e -> e != null)
                .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.ifname().substring(3)))).toList();
    }

    /** Addresses, link up, and a default route unless the container already has one. */
    private static void configureInside(RtNetlink in, String ifname, InetAddress ip4, Pool v4, InetAddress ip6, Pool v6,
            boolean wantDefaultRoute) {
        Link l = in.link(ifname);
        if (ip4 != null) in.addAddress(l.index(), ip4, v4.subnet().prefixLength());
        if (ip6 != null) in.addAddress(l.index(), ip6, v6.subnet().prefixLength());
        in.setUp(l.index(), true);
        if (!wantDefaultRoute) return;
        List<Route> routes = in.routes();
        if (ip4 != null && routes.stream().noneMatch(r -> r.destination() == null && r.gateway() instanceof Inet4Address)) {
            in.addDefaultRoute(v4.gateway(), l.index());
        }
        if (ip6 != null && routes.stream().noneMatch(r -> r.destination() == null && r.gateway() != null
                && !(r.gateway() instanceof Inet4Address))) {
            in.addDefaultRoute(v6.gateway(), l.index());
        }
    }

    /**
     * The netlink socket inside the container's namespace: the sandbox's own when {@code netns}
     * is its sandbox, else one opened there now (and kept for the container).
     */
    private RtNetlink netlinkIn(String containerId, Path netns) {
        SandboxState s = sandboxes.get(containerId);
        if (s != null && Path.of(s.netns()).equals(netns)) {
            return sandboxNetlink.computeIfAbsent(containerId, k -> NetNamespace.call(netns, RtNetlink::open));
        }
        return NetNamespace.call(netns, RtNetlink::open); // a namespace we do not manage: short-lived
    }

    // ------------------------------------------------------------------ published ports

    /**
     * Publishes ports of a container (after it is attached): DNAT in table {@code inet jcompose}
     * for traffic from outside and from the host's non-loopback addresses, and a userland proxy
     * listening on the host address (it serves {@code 127.0.0.1} and makes a taken port fail).
     * The container address is that of its first endpoint on a non-internal network. Either all
     * ports are published or none.
     */
    public synchronized List<PortBinding> publish(String containerId, List<PortSpec> ports) {
        SandboxState s = sandboxes.get(containerId);
        if (s == null) throw new IllegalStateException("container " + containerId + " has no network sandbox");
        Endpoint gw = endpoints(containerId).stream()
                .filter(e -> e.ipv4() != null && !networks.get(e.networkId()).internal()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "cannot publish ports: the container is on no network with external access"));
        List<PortBinding> made = new ArrayList<>();
        List<UserlandProxy> started = new ArrayList<>();
        try {
            for (PortSpec p : ports) {
                boolean anyAddress = p.hostIp() == null || p.hostIp().isBlank();
                String hostIp = anyAddress ? "0.0.0.0" : p.hostIp();
                // Docker publishes an unspecified host address on IPv6 too ([::], proxied to the
                // container's IPv4); one dual-stack listener serves both here
                boolean dualStack = anyAddress && IPV6_HOST;
                int hostPort = p.hostPort();
                if (hostPort == 0) {
                    hostPort = ephemeral.next(port -> !isPublished(p.protocol(), hostIp, port, made)
                            && canBind(p.protocol(), dualStack ? "::" : hostIp, port));
                } else if (isPublished(p.protocol(), hostIp, hostPort, made)) {
                    throw new IllegalStateException("Bind for " + hostIp + ":" + hostPort + " failed: port is already allocated");
                }
                PortBinding b = new PortBinding(p.protocol(), hostIp, hostPort, gw.ipv4(), p.containerPort());
                started.add(UserlandProxy.start(proxyGroup, b, dualStack));
                made.add(b);
                if (dualStack) {
                    made.add(new PortBinding(p.protocol(), "::", hostPort, gw.ipv4(), p.containerPort()));
                }
            }
            List<PortBinding> all = new ArrayList<>(s.ports());
            all.addAll(made);
            SandboxState updated = s.withPorts(all);
            sandboxes.put(containerId, updated);
            syncFirewall();
            save(updated);
        } catch (RuntimeException e) {
            started.forEach(UserlandProxy::close);
            sandboxes.put(containerId, s);
            safeSyncFirewall();
            throw e;
        }
        proxies.computeIfAbsent(containerId, k -> new ArrayList<>()).addAll(started);
        return made;
    }

    /** Stops publishing every port of the container. */
    public synchronized void unpublish(String containerId) {
        List<UserlandProxy> ps = proxies.remove(containerId);
        if (ps != null) ps.forEach(UserlandProxy::close);
        SandboxState s = sandboxes.get(containerId);
        if (s != null && !s.ports().isEmpty()) {
            SandboxState updated = s.withPorts(List.of());
            sandboxes.put(containerId, updated);
            save(updated);
            syncFirewall();
        }
    }

    /** The container's published ports ({@code jcompose port}). */
    public List<PortBinding> ports(String containerId) {
        SandboxState s = sandboxes.get(containerId);
        return s == null ? List.of() : s.ports();
    }

    private boolean isPublished(String proto, String hostIp, int port, List<PortBinding> pending) {
        java.util.stream.Stream<PortBinding> all = java.util.stream.Stream.concat(
                sandboxes.values().stream().flatMap(x -> x.ports().stream()), pending.stream());
        return all.anyMatch(b -> b.protocol().equals(proto) && b.hostPort() == port
                && (b.hostIp().equals(hostIp) || isAny(b.hostIp()) || isAny(hostIp)));
    }

    /** Whether {@code all} also publishes {@code b}'s port and protocol on {@code hostIp}. */
    private static boolean hasTwin(List<PortBinding> all, PortBinding b, String hostIp) {
        return all.stream().anyMatch(x -> x.hostIp().equals(hostIp) && x.hostPort() == b.hostPort() && x.protocol().equals(b.protocol()));
    }

    private static boolean isAny(String hostIp) {
        return hostIp.equals("0.0.0.0") || hostIp.equals("::");
    }

    private static boolean canBind(String proto, String hostIp, int port) {
        InetSocketAddress a = new InetSocketAddress(hostIp, port);
        try {
            if (proto.equals("tcp")) {
                try (java.net.ServerSocket ss = new java.net.ServerSocket()) {
                    ss.bind(a);
                }
            } else {
                try (java.net.DatagramSocket ds = new java.net.DatagramSocket(a)) {
                    ds.getLocalPort();
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ files

    /** The container's {@code /etc/resolv.conf} (embedded DNS at 127.0.0.11). */
    public String resolvConf(List<String> dns, List<String> dnsSearch, List<String> dnsOptions) {
        return hostResolv.forInternalResolver(dns, dnsSearch, dnsOptions);
    }

    /** The container's {@code /etc/hosts}: its addresses map to its hostname. */
    public String hostsFile(String containerId, String hostname, String domainname, List<HostsFile.ExtraHost> extraHosts) {
        List<String> addrs = new ArrayList<>();
        for (Endpoint e : endpoints(containerId)) {
            if (e.ipv4() != null) addrs.add(e.ipv4());
            if (e.ipv6() != null) addrs.add(e.ipv6());
        }
        return HostsFile.render(hostname, domainname, addrs, extraHosts, true);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        store.close();
        proxies.values().forEach(ps -> ps.forEach(UserlandProxy::close));
        proxies.clear();
        proxyGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        sandboxNetlink.values().forEach(RtNetlink::close);
        sandboxNetlink.clear();
        dns.close();
        netlink.close();
    }

    // ------------------------------------------------------------------ internals

    /** State kinds under {@code <dataRoot>/network/}, written behind (reconciled with the kernel at start). */
    private static final String NETWORKS = "networks", SANDBOXES = "sandboxes";

    private void save(NetworkState n) {
        store.putLater(NETWORKS, n.id(), n);
    }

    private void save(SandboxState s) {
        store.putLater(SANDBOXES, s.containerId(), s);
    }

    /** Rebuilds in-memory records, missing bridges, the firewall table and DNS listeners from disk. */
    private void restore() {
        LegacyBridges legacy = new LegacyBridges(netlink, options.names());
        for (NetworkState recorded : store.loadAll(NETWORKS, NetworkState.class).values()) {
            NetworkState stored = legacy.migrate(recorded); // state from before per-engine names
            if (stored != recorded) save(stored);
            boolean bridgeThere = netlink.linkExists(stored.bridge());
            if (!bridgeThere) createBridge(stored);
            // an endpoint whose veth is gone (its namespace died, the host rebooted) is dead
            Map<String, Endpoint> alive = new LinkedHashMap<>();
            for (Endpoint e : stored.endpoints().values()) {
                if (bridgeThere && netlink.linkExists(e.hostVeth())) alive.put(e.containerId(), e);
            }
            NetworkState n = alive.size() == stored.endpoints().size() ? stored : stored.withEndpoints(alive);
            if (n != stored) save(n);
            networks.put(n.id(), n);
            records.addNetwork(n.id(), n.name());
            for (Endpoint e : n.endpoints().values()) {
                records.register(n.id(), new DnsRecords.Entry(e.containerId(), e.dnsNames(),
                        e.ipv4() == null ? null : InetAddress.ofLiteral(e.ipv4()),
                        e.ipv6() == null ? null : InetAddress.ofLiteral(e.ipv6())));
            }
        }
        deleteStrayLinks(legacy.shared());
        if (!networks.isEmpty()) syncFirewall();
        else safeSyncFirewall(); // removes a table a crash left; without nft there can be none to remove
        releaseLegacyTable(legacy.oldNames());
        for (SandboxState s : store.loadAll(SANDBOXES, SandboxState.class).values()) {
            if (!Files.exists(Path.of(s.netns()))) {
                store.deleteLater(SANDBOXES, s.containerId());
                continue;
            }
            sandboxes.put(s.containerId(), s);
            startDns(s);
            List<UserlandProxy> ps = new ArrayList<>();
            for (PortBinding b : s.ports()) {
                if (b.hostIp().equals("::") && hasTwin(s.ports(), b, "0.0.0.0")) continue; // served by the dual-stack listener
                try {
                    ps.add(UserlandProxy.start(proxyGroup, b, b.hostIp().equals("0.0.0.0") && hasTwin(s.ports(), b, "::")));
                } catch (RuntimeException e) {
                    // the kernel path (DNAT) still works; only loopback access is lost
                    System.getLogger(NetworkService.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
            if (!ps.isEmpty()) proxies.put(s.containerId(), ps);
        }
        if (sandboxes.values().stream().anyMatch(x -> !x.ports().isEmpty())) syncFirewall();
    }

    /**
     * Links no network or endpoint knows about (state is written behind the kernel changes, so a
     * crash can leave one): host-side veths on our bridges, and any bridge or veth with this
     * engine's name prefix. Deleted, so their addresses are really free. Other engines' links
     * carry another tag and are never touched.
     */
    private void deleteStrayLinks(java.util.Set<String> sharedBridges) {
        java.util.Set<String> known = new java.util.HashSet<>();
        java.util.Set<Integer> bridges = new java.util.HashSet<>();
        for (NetworkState n : networks.values()) {
            known.add(n.bridge());
            n.endpoints().values().forEach(e -> known.add(e.hostVeth()));
        }
        List<Link> links = netlink.links();
        for (Link l : links) {
            // an old bridge another engine may use too: the veths on it we do not know are its
            if (known.contains(l.name()) && "bridge".equals(l.kind()) && !sharedBridges.contains(l.name())) bridges.add(l.index());
        }
        for (Link l : links) {
            if (known.contains(l.name())) continue;
            boolean vethOnOurBridge = "veth".equals(l.kind()) && bridges.contains(l.master());
            if (vethOnOurBridge || options.names().ownsLink(l.name())) netlink.deleteLinkIfExists(l.name());
        }
    }

    /**
     * Takes this engine's rules out of the table engines shared before per-engine tables, and
     * the table itself once no older engine's bridge needs it ({@link LegacyTable}).
     */
    private void releaseLegacyTable(java.util.Set<String> oldBridges) {
        try {
            LegacyTable.Outcome done = new LegacyTable("nft").release(oldBridges, netlink::linkExists);
            if (done == LegacyTable.Outcome.TABLE_REMOVED || done == LegacyTable.Outcome.RULES_REMOVED) {
                System.getLogger(NetworkService.class.getName()).log(System.Logger.Level.INFO,
                        done == LegacyTable.Outcome.TABLE_REMOVED ? "removed the older engines' table inet jcompose (no bridge of theirs is left)"
                                : "removed this engine's old rules from table inet jcompose (older engines still use it)");
            }
        } catch (RuntimeException e) {
            System.getLogger(NetworkService.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot tidy the older engines' table inet jcompose: " + e.getMessage());
        }
    }

    private void startDns(SandboxState s) {
        resolver.setScope(s.containerId(), scopeFor(s));
        dns.listen(s.containerId(), Path.of(s.netns()));
    }

    private DnsResolver.Scope scopeFor(SandboxState s) {
        List<Upstream> own = s.dnsServers().stream()
                .map(ip -> new Upstream(new InetSocketAddress(InetAddress.ofLiteral(ip), 53), Path.of(s.netns()))).toList();
        boolean external = networks.values().stream()
                .anyMatch(n -> !n.internal() && n.endpoints().containsKey(s.containerId()));
        Map<String, List<InetAddress>> extra = new LinkedHashMap<>();
        for (HostsFile.ExtraHost h : s.extraHosts()) {
            extra.computeIfAbsent(DnsRecords.normalise(h.name()), k -> new ArrayList<>()).add(InetAddress.ofLiteral(h.ip()));
        }
        return new DnsResolver.Scope(hostUpstreams, own, external, extra);
    }

    private void createBridge(NetworkState n) {
        netlink.createBridge(n.bridge(), n.mtu());
        int index = netlink.link(n.bridge()).index();
        for (NetworkState.PoolState p : n.pools()) {
            Subnet s = Subnet.parse(p.subnet());
            netlink.addAddress(index, InetAddress.ofLiteral(p.gateway()), s.prefixLength());
        }
    }

    /** @param preferred an IPv4 subnet to use when the spec has none and it is free (the default bridge's), or null */
    private List<Pool> choosePools(String id, NetworkSpec spec, Subnet preferred) {
        List<Subnet> taken = new ArrayList<>();
        for (NetworkState n : networks.values()) for (NetworkState.PoolState p : n.pools()) taken.add(Subnet.parse(p.subnet()));
        List<Pool> pools = new ArrayList<>();
        for (IpamConfig c : spec.ipam()) {
            if (c.subnet() == null) throw new IllegalArgumentException("network " + spec.name() + ": ipam config needs a subnet");
            Subnet s = Subnet.parse(c.subnet());
            if (s.isIpv4() == false && !spec.enableIpv6()) {
                throw new IllegalArgumentException("network " + spec.name() + ": IPv6 subnet " + s + " needs enable_ipv6: true");
            }
            for (Subnet t : taken) {
                if (t.overlaps(s)) throw new IllegalArgumentException(
                        "network " + spec.name() + ": Pool overlaps with other one on this address space (" + s + ")");
            }
            pools.add(Pool.of(s, c));
            taken.add(s);
        }
        if (pools.stream().noneMatch(p -> p.subnet().isIpv4())) {
            List<Subnet> occupied = new ArrayList<>(taken);
            occupied.addAll(hostSubnets());
            Subnet chosen = preferred != null && occupied.stream().noneMatch(preferred::overlaps) ? preferred : null;
            if (chosen == null) {
                if (options.reserveDockerBridgeSubnet()) occupied.add(DefaultPools.DEFAULT_BRIDGE);
                chosen = DefaultPools.firstFreeIpv4(occupied);
            }
            pools.add(0, Pool.of(chosen, null));
        }
        if (spec.enableIpv6() && pools.stream().allMatch(p -> p.subnet().isIpv4())) {
            List<Subnet> occupied = new ArrayList<>(taken);
            occupied.addAll(hostSubnets());
            pools.add(Pool.of(DefaultPools.ipv6For(id, occupied), null));
        }
        pools.sort(Comparator.comparing(p -> !p.subnet().isIpv4()));
        return pools;
    }

    /** Subnets the host already routes or has addresses in (loopback aside), never to be reused. */
    private List<Subnet> hostSubnets() {
        List<Subnet> out = new ArrayList<>();
        for (Route r : netlink.routes()) {
            if (r.destination() != null && !r.destination().isLoopbackAddress() && !r.destination().isLinkLocalAddress()
                    && !r.destination().isMulticastAddress()) {
                out.add(new Subnet(r.destination(), r.prefixLength()));
            }
        }
        for (Address a : netlink.addresses()) {
            if (!a.address().isLoopbackAddress() && !a.address().isLinkLocalAddress()) {
                out.add(new Subnet(a.address(), a.prefixLength()));
            }
        }
        return out;
    }

    private void syncFirewall() {
        List<BridgeRules> rules = networks.values().stream()
                .map(n -> new BridgeRules(n.bridge(), n.pools().stream().map(p -> Subnet.parse(p.subnet())).toList(),
                        n.internal(), portRules(n)))
                .toList();
        options.nft().sync(rules);
    }

    /** DNAT rules for ports whose container address is on network {@code n}. */
    private List<PortRule> portRules(NetworkState n) {
        List<PortRule> out = new ArrayList<>();
        for (SandboxState s : sandboxes.values()) {
            Endpoint e = n.endpoints().get(s.containerId());
            if (e == null || e.ipv4() == null) continue;
            for (PortBinding b : s.ports()) {
                if (!b.containerIp().equals(e.ipv4()) || b.hostIp().equals("::")) continue; // IPv6 → IPv4 goes through the proxy only
                InetAddress host = b.hostIp().equals("0.0.0.0") ? null : InetAddress.ofLiteral(b.hostIp());
                out.add(new PortRule(b.protocol(), host, b.hostPort(), InetAddress.ofLiteral(b.containerIp()), b.containerPort()));
            }
        }
        return out;
    }

    private void safeSyncFirewall() {
        try {
            syncFirewall();
        } catch (RuntimeException ignored) {
            // already failing; the original error is the one to report
        }
    }

    private static boolean ipv6Host() {
        try {
            return Files.exists(Path.of("/proc/net/if_inet6"))
                    && !Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6")).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    /** Docker turns IP forwarding on when a network needs to reach out; it never turns it off. */
    private static void enableForwarding(boolean ipv6) {
        writeSysctl(IPV4_FORWARD);
        if (ipv6) writeSysctl(IPV6_FORWARD);
    }

    private static void writeSysctl(Path p) {
        try {
            String now;
            try (var in = Files.newInputStream(p)) { // not Files.readString: /proc sizes are unreliable
                now = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            }
            if (!now.equals("1")) Files.writeString(p, "1\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot enable forwarding in " + p, e);
        }
    }

    private String nextIfname(String containerId) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (NetworkState n : networks.values()) {
            Endpoint e = n.endpoints().get(containerId);
            if (e != null) used.add(e.ifname());
        }
        reservations.stream().filter(r -> r.containerId().equals(containerId)).forEach(r -> used.add(r.ifname()));
        int i = 0;
        while (used.contains("eth" + i)) i++;
        return "eth" + i;
    }

    /** Addresses of the network's endpoints and of attaches under way. */
    private List<InetAddress> used(NetworkState n, boolean v4) {
        List<InetAddress> out = new ArrayList<>(n.endpoints().values().stream().map(e -> v4 ? e.ipv4() : e.ipv6()).filter(a -> a != null)
                .map(InetAddress::ofLiteral).toList());
        reservations.stream().filter(r -> r.networkId().equals(n.id())).map(r -> v4 ? r.ip4() : r.ip6()).filter(a -> a != null)
                .forEach(out::add);
        return out;
    }

    /** A resolv.conf nameserver as port-53 address; null (skipped) if it is not a plain literal. */
    private static InetSocketAddress nameserver(String text) {
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(text), 53);
        } catch (IllegalArgumentException e) {
            System.getLogger(NetworkService.class.getName()).log(System.Logger.Level.WARNING,
                    "ignoring nameserver \"" + text + "\" in resolv.conf: not an IP address this resolver can use");
            return null;
        }
    }

    private static InetAddress parseOrNull(String text, String what) {
        if (text == null || text.isBlank()) return null;
        try {
            return Subnet.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    private static int parseMtu(NetworkSpec spec) {
        String v = spec.driverOpts().get(NetworkSpec.OPT_MTU);
        if (v == null) return DEFAULT_MTU;
        try {
            int mtu = Integer.parseInt(v.trim());
            if (mtu < 68 || mtu > 65535) throw new NumberFormatException();
            return mtu;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("network " + spec.name() + ": driver_opts " + NetworkSpec.OPT_MTU
                    + " must be a number between 68 and 65535, got \"" + v + "\"");
        }
    }

    /** Docker's classic scheme: 02:42 followed by the IPv4 address; random when there is none. */
    private static String macFor(InetAddress ip4) {
        byte[] m = new byte[6];
        if (ip4 != null) {
            m[0] = 0x02;
            m[1] = 0x42;
            System.arraycopy(ip4.getAddress(), 0, m, 2, 4);
        } else {
            new SecureRandom().nextBytes(m);
            m[0] = (byte) ((m[0] & 0xfe) | 0x02);
        }
        return HexFormat.ofDelimiter(":").formatHex(m);
    }

    private static NetworkState.PoolState toState(Pool p) {
        return new NetworkState.PoolState(p.subnet().toString(), p.range().toString(), Subnet.text(p.gateway()),
                p.reserved().stream().map(Subnet::text).toList());
    }

    private static Pool fromState(NetworkState.PoolState s) {
        return new Pool(Subnet.parse(s.subnet()), Subnet.parse(s.range()), InetAddress.ofLiteral(s.gateway()),
                s.reserved().stream().map(InetAddress::ofLiteral).toList());
    }

    private static String randomId() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
