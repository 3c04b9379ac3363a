package io.jcompose.runtime.network.nft;

import io.jcompose.runtime.network.ipam.Subnet;
import java.net.Inet4Address;
import java.util.List;

/**
 * Renders an engine's whole nftables table, {@code inet jcompose-<tag>} (one per engine, see
 * {@link io.jcompose.runtime.sys.HostNames}), from the networks' state. The table is always
 * replaced as a whole in one {@code nft -f} transaction (add empty table, delete it, add the full
 * one), so an engine restart rebuilds it without duplicates and no other table is ever touched.
 * Several engines' tables coexist: each one's rules name only its own bridges, and a packet
 * passes when no table drops it, so isolation, NAT and published ports behave as with one table.
 *
 * <p>Rule order matters because an {@code accept} ends evaluation of a base chain: replies and
 * published (DNAT'ed) traffic are accepted first, then everything entering a bridge from another
 * interface is dropped (this isolates networks from each other and from outside), then traffic
 * leaving an internal bridge is dropped. Whatever remains (containers going out) meets the
 * chain's accept policy.
 */
public final class Ruleset {
    public static final String FAMILY = "inet";

    private Ruleset() {}

    /** A batch that replaces table {@code inet <table>} with one built from {@code networks}. */
    public static String replaceTable(String table, List<BridgeRules> networks) {
        return deleteTable(table) + table(table, networks);
    }

    /** A batch that removes the table (creating it first, so this never fails when absent). */
    public static String deleteTable(String table) {
        checkName(table);
        return "table inet " + table + " {}\ndelete table inet " + table + "\n";
    }

    /** Our tables only: {@code jcompose} or {@code jcompose-<something>}. */
    private static void checkName(String table) {
        if (!table.matches("jcompose(-[a-z0-9]{1,32})?")) throw new IllegalArgumentException("not a jcompose table name: " + table);
    }

    static String table(String table, List<BridgeRules> networks) {
        checkName(table);
        StringBuilder b = new StringBuilder("table inet " + table + " {\n");
        b.append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
        for (BridgeRules n : networks) {
            if (!n.internal()) {
                line(b, "oifname %s ct state established,related accept", q(n.bridge()));
            }
        }
        for (BridgeRules n : networks) {
            if (!n.internal()) {
                line(b, "oifname %s iifname != %s ct status dnat accept", q(n.bridge()), q(n.bridge()));
            }
        }
        for (BridgeRules n : networks) {
            line(b, "oifname %s iifname != %s drop", q(n.bridge()), q(n.bridge()));
        }
        for (BridgeRules n : networks) {
            if (n.internal()) line(b, "iifname %s oifname != %s drop", q(n.bridge()), q(n.bridge()));
        }
        b.append("  }\n");

        b.append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
        for (BridgeRules n : networks) {
            if (n.internal()) continue;
            for (Subnet s : n.subnets()) {
                line(b, "%s saddr %s oifname != %s masquerade", s.isIpv4() ? "ip" : "ip6", s, q(n.bridge()));
            }
        }
        b.append("  }\n");

        b.append("  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n");
        for (BridgeRules n : networks) {
            for (PortRule p : n.ports()) line(b, "iifname != %s %s", q(n.bridge()), dnat(p));
        }
        b.append("  }\n");
        // locally generated traffic to a published port (not to 127/8: the userland proxy serves loopback)
        b.append("  chain output {\n    type nat hook output priority -100; policy accept;\n");
        for (BridgeRules n : networks) {
            for (PortRule p : n.ports()) {
                String notLoopback = p.containerIp() instanceof Inet4Address ? "ip daddr != 127.0.0.0/8 " : "ip6 daddr != ::1 ";
                line(b, "%s%s", notLoopback, dnat(p));
            }
        }
        b.append("  }\n}\n");
        return b.toString();
    }

    private static String dnat(PortRule p) {
        boolean v4 = p.containerIp() instanceof Inet4Address;
        String fam = v4 ? "ip" : "ip6";
        String dst = p.hostIp() == null ? "fib daddr type local" : fam + " daddr " + Subnet.text(p.hostIp());
        String to = v4 ? Subnet.text(p.containerIp()) + ":" + p.containerPort()
                : "[" + Subnet.text(p.containerIp()) + "]:" + p.containerPort();
        return "%s %s dport %d dnat %s to %s".formatted(dst, p.protocol(), p.hostPort(), fam, to);
    }

    private static void line(StringBuilder b, String fmt, Object... args) {
        b.append("    ").append(fmt.formatted(args)).append('\n');
    }

    private static String q(String name) {
        return "\"" + name + "\"";
    }
}
