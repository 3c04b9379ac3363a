package io.jcompose.runtime.network.ipam;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix such as {@code 172.18.0.0/16}; the address is normalised to the
 * network address. Written and parsed in CIDR form (that is also its JSON form).
 */
public record Subnet(InetAddress network, int prefixLength) {

    public Subnet {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("invalid prefix length /" + prefixLength + " for " + network.getHostAddress());
        }
        network = fromBig(toBig(network).and(mask(bits, prefixLength)), bits / 8);
    }

    /** Parses {@code a.b.c.d/n} or {@code x::/n}; throws IllegalArgumentException with the text. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("invalid subnet \"" + cidr + "\": expected CIDR notation like 172.28.0.0/16");
        InetAddress a = parseAddress(cidr.substring(0, slash));
        try {
            return new Subnet(a, Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid subnet \"" + cidr + "\": bad prefix length");
        }
    }

    /** Parses a literal IP address without any name lookup. */
    public static InetAddress parseAddress(String text) {
        String s = text.trim();
        if (s.isEmpty() || !(s.contains(":") || s.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
        }
        try {
            return InetAddress.getByName(s); // literal only: no DNS for these characters
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
        }
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    int bits() {
        return isIpv4() ? 32 : 128;
    }

    /** Number of addresses in the prefix. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - prefixLength);
    }

    /** The address at {@code offset} from the network address. */
    public InetAddress address(BigInteger offset) {
        return fromBig(toBig(network).add(offset), bits() / 8);
    }

    /** Offset of {@code a} from the network address (a must be inside). */
    public BigInteger offsetOf(InetAddress a) {
        return toBig(a).subtract(toBig(network));
    }

    public boolean contains(InetAddress a) {
        return a.getAddress().length * 8 == bits()
                && toBig(a).and(mask(bits(), prefixLength)).equals(toBig(network));
    }

    public boolean contains(Subnet other) {
        return other.bits() == bits() && other.prefixLength >= prefixLength && contains(other.network);
    }

    public boolean overlaps(Subnet other) {
        return other.bits() == bits() && (contains(other.network) || other.contains(network));
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefixLength;
    }

    /** Canonical text of an address: dotted quad, or RFC 5952 IPv6 ({@code fd00::1}). */
    public static String text(InetAddress a) {
        if (a instanceof Inet4Address) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    static BigInteger toBig(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    static InetAddress fromBig(BigInteger v, int bytes) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bytes];
        int n = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - n, out, bytes - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static BigInteger mask(int bits, int prefix) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    }
}
