package io.jcompose.runtime.network.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names the embedded DNS answers: per network, each attached container's DNS names
 * (container name, aliases, short id, hostname; the first one is used for PTR) and addresses.
 * A container sees the records of every network it is attached to. Thread-safe.
 */
public final class DnsRecords {

    /** One container's entry on one network. */
    public record Entry(String containerId, List<String> names, InetAddress ipv4, InetAddress ipv6) {
        public Entry {
            names = names.stream().map(DnsRecords::normalise).distinct().toList();
        }
    }

    private record Net(String name, Map<String, Entry> byContainer) {}

    private final Map<String, Net> networks = new ConcurrentHashMap<>();

    /** Registers a network's name (used in PTR answers and {@code name.network} queries). */
    public void addNetwork(String networkId, String networkName) {
        networks.computeIfAbsent(networkId, k -> new Net(networkName, new ConcurrentHashMap<>()));
    }

    public void removeNetwork(String networkId) {
        networks.remove(networkId);
    }

    /** Makes a container's names answerable on a network (before its process starts). */
    public void register(String networkId, Entry entry) {
        Net n = networks.get(networkId);
        if (n == null) throw new IllegalArgumentException("unknown network " + networkId);
        n.byContainer().put(entry.containerId(), entry);
    }

    public void unregister(String networkId, String containerId) {
        Net n = networks.get(networkId);
        if (n != null) n.byContainer().remove(containerId);
    }

    /** The networks the container is on. */
    private List<Net> scope(String containerId) {
        List<Net> out = new ArrayList<>();
        for (Net n : networks.values()) if (n.byContainer().containsKey(containerId)) out.add(n);
        return out;
    }

    /**
     * Addresses of {@code name} as seen from {@code containerId}: empty Optional when no network of
     * the container knows the name (forward it); an empty list when the name is known but has no
     * address of that family (answer NOERROR without records).
     */
    public Optional<List<InetAddress>> lookup(String containerId, String name, boolean ipv6) {
        String q = normalise(name);
        List<Net> scope = scope(containerId);
        // "service.network" restricts the lookup to that network
        for (Net n : scope) {
            String suffix = "." + normalise(n.name());
            if (q.endsWith(suffix) && q.length() > suffix.length()) {
                Optional<List<InetAddress>> r = find(List.of(n), q.substring(0, q.length() - suffix.length()), ipv6);
                if (r.isPresent()) return r;
            }
        }
        return find(scope, q, ipv6);
    }

    private static Optional<List<InetAddress>> find(List<Net> scope, String q, boolean ipv6) {
        boolean known = false;
        Set<InetAddress> out = new LinkedHashSet<>();
        for (Net n : scope) {
            for (Entry e : n.byContainer().values()) {
                if (!e.names().contains(q)) continue;
                known = true;
                InetAddress a = ipv6 ? e.ipv6() : e.ipv4();
                if (a != null) out.add(a);
            }
        }
        return known ? Optional.of(new ArrayList<>(out)) : Optional.empty();
    }

    /** {@code <first name>.<network name>} for an address on one of the container's networks. */
    public Optional<String> reverse(String containerId, InetAddress address) {
        for (Net n : scope(containerId)) {
            for (Entry e : n.byContainer().values()) {
                boolean match = address instanceof Inet4Address ? address.equals(e.ipv4())
                        : address instanceof Inet6Address && address.equals(e.ipv6());
                if (match && !e.names().isEmpty()) return Optional.of(e.names().getFirst() + "." + n.name());
            }
        }
        return Optional.empty();
    }

    /** Lower case, without a trailing dot: how names are compared. */
    public static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
