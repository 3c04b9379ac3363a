package io.jcompose.runtime.network;

import io.jcompose.runtime.network.netlink.Link;
import io.jcompose.runtime.network.netlink.RtNetlink;
import io.jcompose.runtime.sys.HostNames;
import io.jcompose.runtime.sys.SyscallException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves networks recorded by engines from before per-engine tags ({@link HostNames}) onto this
 * engine's names, at start. Those engines named a network's bridge {@code jc-<12 hex of its id>}
 * and Docker's default network's {@code jc-bridge0}, the same for every engine.
 *
 * <p>The bridge is renamed in place (down, rename, up) rather than re-created: its addresses and
 * the host veths of containers that kept running across the upgrade stay on it, so those
 * containers keep their network. Their veths keep the {@code jcv…} names recorded for them (a
 * rename would take each container's link down for nothing) until the endpoint goes.
 *
 * <p>A bridge is renamed only when every port on it is a veth this network recorded: an older
 * engine on another data root may use the same {@code jc-bridge0} at the same time, and taking
 * it away would cut its containers off. Such a network keeps its old bridge name (recorded, so
 * the engine uses it consistently and the rules of its own table name it) and is migrated at a
 * later start once the bridge is no longer shared; see {@link #shared()}.
 */
final class LegacyBridges {
    /** The default network's bridge of every engine before tags. */
    static final String OLD_DEFAULT = "jc-bridge0";

    private static final System.Logger LOG = System.getLogger(LegacyBridges.class.getName());

    private final RtNetlink netlink;
    private final HostNames names;
    private final java.util.Set<String> oldNames = new java.util.TreeSet<>();
    private final java.util.Set<String> shared = new java.util.TreeSet<>();

    LegacyBridges(RtNetlink netlink, HostNames names) {
        this.netlink = netlink;
        this.names = names;
    }

    /** Whether a recorded bridge name is one an engine before tags made (never one a user chose). */
    static boolean isLegacy(NetworkState n) {
        String chosen = n.driverOpts().get(NetworkSpec.OPT_BRIDGE_NAME);
        if (n.bridge().equals(OLD_DEFAULT)) return OLD_DEFAULT.equals(chosen);
        return chosen == null && n.bridge().matches("jc-[0-9a-f]{12}") && n.id().startsWith(n.bridge().substring(3));
    }

    /**
     * The network on this engine's names: its bridge renamed (or, when absent, to be made under
     * the new name), or unchanged when it is not an old one or is shared with another engine.
     */
    NetworkState migrate(NetworkState n) {
        if (!isLegacy(n)) return n;
        String old = n.bridge();
        String target = old.equals(OLD_DEFAULT) ? names.defaultBridge() : names.bridge(n.id());
        Map<String, String> opts = new HashMap<>(n.driverOpts());
        if (opts.containsKey(NetworkSpec.OPT_BRIDGE_NAME)) opts.put(NetworkSpec.OPT_BRIDGE_NAME, target);
        NetworkState renamed = n.withBridge(target, opts);
        List<Link> links = netlink.links();
        Link bridge = links.stream().filter(l -> l.name().equals(old)).findFirst().orElse(null);
        if (bridge == null) {
            oldNames.add(old);
            return renamed; // restore makes it under the new name
        }
        Set<String> ours = n.endpoints().values().stream().map(Endpoint::hostVeth).collect(Collectors.toSet());
        List<String> foreign = links.stream().filter(l -> l.master() == bridge.index() && !ours.contains(l.name()))
                .map(Link::name).toList();
        if (!"bridge".equals(bridge.kind()) || !foreign.isEmpty() || netlink.linkExists(target)) {
            shared.add(old);
            LOG.log(System.Logger.Level.WARNING, "network {0} keeps its bridge {1}: {2}", n.name(), old,
                    !foreign.isEmpty() ? "ports " + foreign + " on it belong to another engine"
                            : "bridge".equals(bridge.kind()) ? target + " exists already" : "it is not a bridge");
            return n;
        }
        netlink.setUp(bridge.index(), false); // Linux renames only links that are down
        try {
            netlink.rename(bridge.index(), target);
        } catch (SyscallException e) {
            netlink.setUp(bridge.index(), true);
            shared.add(old);
            LOG.log(System.Logger.Level.WARNING, "network {0} keeps its bridge {1}: {2}", n.name(), old, e.getMessage());
            return n;
        }
        netlink.setUp(bridge.index(), true);
        oldNames.add(old);
        LOG.log(System.Logger.Level.INFO, "network {0}: bridge {1} renamed {2} (per-engine names)", n.name(), old, target);
        return renamed;
    }

    /** Old bridge names this engine's networks had and no longer use: the old table's rules naming them are ours. */
    Set<String> oldNames() {
        return java.util.Collections.unmodifiableSet(oldNames);
    }

    /** Old bridges left as they were because another engine may use them: no veth on them is a stray of ours. */
    Set<String> shared() {
        return java.util.Collections.unmodifiableSet(shared);
    }
}
