package io.jcompose.runtime.network.ipam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses of one subnet of a network: where container addresses come from ({@code range},
 * the whole subnet unless {@code ip_range} was given), the gateway, and addresses reserved by
 * {@code aux_addresses}. Allocation is lowest-free, as Docker's local IPAM does.
 */
public record Pool(Subnet subnet, Subnet range, InetAddress gateway, List<InetAddress> reserved) {

    public Pool {
        reserved = List.copyOf(reserved);
    }

    /** Builds and validates a pool from compose text; {@code subnet} may be a chosen default. */
    public static Pool of(Subnet subnet, IpamConfig config) {
        String where = "network subnet " + subnet;
        Subnet range = subnet;
        if (config != null && config.ipRange() != null) {
            range = Subnet.parse(config.ipRange());
            if (!subnet.contains(range)) {
                throw new IllegalArgumentException(where + ": ip_range " + range + " is not inside the subnet");
            }
        }
        InetAddress gateway;
        if (config != null && config.gateway() != null) {
            gateway = Subnet.parseAddress(config.gateway());
            if (!subnet.contains(gateway)) {
                throw new IllegalArgumentException(where + ": gateway " + config.gateway() + " is not inside the subnet");
            }
        } else {
            gateway = subnet.address(BigInteger.ONE); // first usable address
        }
        List<InetAddress> aux = config == null ? List.of() : config.auxAddresses().entrySet().stream().map(e -> {
            InetAddress a = Subnet.parseAddress(e.getValue());
            if (!subnet.contains(a)) {
                throw new IllegalArgumentException(where + ": aux address " + e.getKey() + "=" + e.getValue()
                        + " is not inside the subnet");
            }
            return a;
        }).toList();
        return new Pool(subnet, range, gateway, aux);
    }

    /**
     * The address to give an endpoint: {@code requested} when set (it must be inside the subnet
     * and free), else the lowest free address of the range. {@code inUse} are the addresses
     * already handed out on this network.
     */
    public InetAddress allocate(Collection<InetAddress> inUse, InetAddress requested) {
        Set<InetAddress> taken = new HashSet<>(inUse);
        taken.add(gateway);
        taken.addAll(reserved);
        if (requested != null) {
            if (!subnet.contains(requested)) {
                throw new IllegalArgumentException("address " + Subnet.text(requested) + " is not in subnet " + subnet);
            }
            if (taken.contains(requested) || isUnusable(requested)) {
                throw new IllegalArgumentException("Address already in use: " + Subnet.text(requested));
            }
            return requested;
        }
        BigInteger start = subnet.offsetOf(range.network());
        BigInteger end = start.add(range.size());
        // never more than a few thousand taken, so scanning from the bottom is cheap
        for (BigInteger o = start; o.compareTo(end) < 0; o = o.add(BigInteger.ONE)) {
            InetAddress a = subnet.address(o);
            if (!taken.contains(a) && !isUnusable(a)) return a;
            if (o.subtract(start).compareTo(BigInteger.valueOf(taken.size() + 4)) > 0) break;
        }
        throw new IllegalStateException("no free address left in " + range + " (subnet " + subnet + ")");
    }

    /** The network address and, for IPv4, the broadcast address are never handed out. */
    private boolean isUnusable(InetAddress a) {
        BigInteger off = subnet.offsetOf(a);
        if (off.signum() == 0) return true;
        return subnet.isIpv4() && subnet.prefixLength() < 31 && off.equals(subnet.size().subtract(BigInteger.ONE));
    }
}
