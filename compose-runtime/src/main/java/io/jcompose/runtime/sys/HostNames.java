package io.jcompose.runtime.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names of one engine's host-wide kernel objects (bridges, host-side veths, the nftables
 * table, the cgroup parent). Several engines run on one host (tests and benches start private
 * ones next to the user's), so every name carries the engine's {@code tag}: 5 hex digits of the
 * SHA-256 of its data root. An engine then creates, rebuilds and deletes only objects with its
 * own tag, and a restart on the same data root finds what a crash left behind.
 *
 * <p>Linux limits interface names to 15 characters: {@code jc<tag>-<7 hex of the network id>}
 * for bridges, {@code jc<tag>-bridge0} for Docker's default {@code bridge} network,
 * {@code jc<tag>v<7 hex>} for host-side veths. The tag is hex, so {@code -} and {@code v} tell
 * the kinds apart, and the names never look like the older {@code jc-}/{@code jcv} ones.
 *
 * @param tag 5 lower-case hex digits
 */
public record HostNames(String tag) {
    public HostNames {
        if (!tag.matches("[0-9a-f]{5}")) throw new IllegalArgumentException("engine tag must be 5 hex digits: " + tag);
    }

    /** The names for the engine whose data root is {@code dataRoot}. */
    public static HostNames forDataRoot(Path dataRoot) {
        return new HostNames(sha256(dataRoot.toAbsolutePath().normalize().toString()).substring(0, 5));
    }

    /** nftables table (family {@code inet}): {@code jcompose-<tag>}. */
    public String nftTable() {
        return "jcompose-" + tag;
    }

    /** Start of every bridge name this engine makes. */
    public String bridgePrefix() {
        return "jc" + tag + "-";
    }

    /** The bridge of a user network. */
    public String bridge(String networkId) {
        return bridgePrefix() + networkId.substring(0, 7);
    }

    /** The bridge of Docker's predefined {@code bridge} network ({@code docker0} in Docker). */
    public String defaultBridge() {
        return bridgePrefix() + "bridge0";
    }

    /** Start of every host-side veth name this engine makes. */
    public String vethPrefix() {
        return "jc" + tag + "v";
    }

    /** The host-side veth of an endpoint, from a key unique in this engine (network id / container id). */
    public String veth(String key) {
        return vethPrefix() + sha256(key).substring(0, 7);
    }

    /** Whether a link name is one of this engine's bridges or veths. */
    public boolean ownsLink(String name) {
        return name.startsWith(bridgePrefix()) || name.startsWith(vethPrefix());
    }

    /**
     * The cgroup parent under each hierarchy root: containers live in {@code /jcompose-<tag>/<id>}
     * (Docker: {@code /docker/<id>}). One parent per engine keeps the engines' cpu shares apart.
     */
    public String cgroupParent() {
        return "jcompose-" + tag;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
