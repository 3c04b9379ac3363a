package io.jcompose.runtime.network.ipam;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Docker's local default address pools and its first-fit subnet choice
 * (RUNTIME-FACTS §7): 172.17–172.31 as /16s, then 192.168.0.0/16 as /20s; a candidate is
 * skipped when it overlaps anything given as occupied (host routes and addresses, existing
 * networks). 172.17.0.0/16 belongs to Docker's default bridge, which jcompose does not have,
 * but it is kept out so the first user network is 172.18.0.0/16 as users know it from Docker.
 */
public final class DefaultPools {
    /** Docker's {@code docker0} subnet, reserved by default. */
    public static final Subnet DEFAULT_BRIDGE = Subnet.parse("172.17.0.0/16");

    private static final List<Subnet> CANDIDATES = candidates();

    private DefaultPools() {}

    private static List<Subnet> candidates() {
        List<Subnet> out = new ArrayList<>();
        for (int b = 17; b <= 31; b++) out.add(Subnet.parse("172." + b + ".0.0/16"));
        for (int c = 0; c < 256; c += 16) out.add(Subnet.parse("192.168." + c + ".0/20"));
        return List.copyOf(out);
    }

    /** All IPv4 candidates in Docker's order. */
    public static List<Subnet> ipv4Candidates() {
        return CANDIDATES;
    }

    /** The first candidate that overlaps nothing in {@code occupied}. */
    public static Subnet firstFreeIpv4(Collection<Subnet> occupied) {
        for (Subnet c : CANDIDATES) {
            if (occupied.stream().noneMatch(c::overlaps)) return c;
        }
        throw new IllegalStateException(
                "all predefined address pools have been fully subnetted; give the network an ipam subnet");
    }

    /**
     * A unique-local IPv6 /64 for a network without an IPv6 subnet: {@code fdXX:XXXX:XXXX::/64}
     * with the 40-bit global ID taken from a hash of the network id (RFC 4193 style),
     * moving to the next /64 while it overlaps something occupied.
     */
    public static Subnet ipv6For(String networkId, Collection<Subnet> occupied) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(networkId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        System.arraycopy(h, 0, a, 1, 5);
        Subnet base = new Subnet(Subnet.fromBig(new BigInteger(1, a), 16), 64);
        for (int i = 0; i < 65536; i++) {
            Subnet s = new Subnet(base.address(BigInteger.valueOf(i).shiftLeft(64)), 64);
            if (occupied.stream().noneMatch(s::overlaps)) return s;
        }
        throw new IllegalStateException("no free IPv6 /64 for network " + networkId);
    }
}
