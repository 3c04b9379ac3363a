package io.jcompose.runtime.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * <p>20 bits of a hash can clash: an engine claims its tag at start ({@link HostTags#claim}),
 * which takes a deterministic alternative when another data root owns the hashed one and keeps
 * the choice in {@code <dataRoot>/engine-tag}; {@link #forDataRoot} reads that file first, so
 * everyone who names an engine's objects from its data root agrees with the engine.
 *
 * @param tag 5 lower-case hex digits
 */
public record HostNames(String tag) {
    public HostNames {
        if (!tag.matches("[0-9a-f]{5}")) throw new IllegalArgumentException("engine tag must be 5 hex digits: " + tag);
    }

    /** The file in a data root that keeps the engine's tag once claimed ({@link HostTags}). */
    public static final String TAG_FILE = "engine-tag";

    /**
     * The names for the engine whose data root is {@code dataRoot}: the tag kept in its
     * {@value #TAG_FILE} when there is one, else the hashed one ({@link #hashed}). Reads, never writes.
     */
    public static HostNames forDataRoot(Path dataRoot) {
        return remembered(dataRoot).orElseGet(() -> hashed(dataRoot, 0));
    }

    /**
     * The tag a data root hashes to: attempt 0 is SHA-256 of its absolute path; attempt {@code n}
     * (the alternatives when that clashes) hashes {@code <path>#n}.
     */
    public static HostNames hashed(Path dataRoot, int attempt) {
        String root = dataRoot.toAbsolutePath().normalize().toString();
        return new HostNames(sha256(attempt == 0 ? root : root + "#" + attempt).substring(0, 5));
    }

    /** The tag kept in the data root's {@value #TAG_FILE}, if it holds a valid one. */
    static java.util.Optional<HostNames> remembered(Path dataRoot) {
        Path file = dataRoot.resolve(TAG_FILE);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9a-f]{5}") ? java.util.Optional.of(new HostNames(text)) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty(); // none yet (or unreadable: the hashed tag, as before tags were kept)
        }
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
