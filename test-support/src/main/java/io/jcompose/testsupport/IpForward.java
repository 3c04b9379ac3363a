package io.jcompose.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's IP forwarding switches, which the engine turns on for NAT as Docker does and never
 * off: {@code net.ipv4.ip_forward}, and on an IPv6 host {@code net.ipv6.conf.{all,default}.forwarding}.
 * {@link HostStateGuard} gives them back after every root test class; tests need not.
 */
public final class IpForward {
    /** {@code net.ipv4.ip_forward}. */
    public static final Path IPV4 = Path.of("/proc/sys/net/ipv4/ip_forward");
    private static final List<Path> ALL = List.of(IPV4,
            Path.of("/proc/sys/net/ipv6/conf/all/forwarding"), Path.of("/proc/sys/net/ipv6/conf/default/forwarding"));

    private IpForward() {}

    /**
     * The switches' current values.
     *
     * @return each present switch's value ({@code "0"} or {@code "1"}), IPv4 first
     * @throws IOException when /proc cannot be read
     */
    public static Map<Path, String> read() throws IOException {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Path p : ALL) {
            if (Files.exists(p)) {
                out.put(p, value(p));
            }
        }
        return out;
    }

    /**
     * Writes back the switches that differ from {@code before}.
     *
     * @param before what {@link #read()} returned earlier
     * @return the switches that had to be written (someone changed them)
     * @throws IOException when /proc cannot be written (not root)
     */
    public static List<Path> restore(Map<Path, String> before) throws IOException {
        List<Path> changed = new ArrayList<>();
        for (var e : before.entrySet()) {
            if (!e.getValue().equals(value(e.getKey()))) {
                Files.writeString(e.getKey(), e.getValue() + "\n");
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    private static String value(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) { // not Files.readString: /proc sizes are unreliable
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
