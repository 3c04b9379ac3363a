package io.jcompose.runtime.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's IPv4 forwarding switch, which the engine turns on for NAT as Docker does and never
 * off: tests that start an engine read it first and give it back as it was.
 */
final class IpForward {
    private static final Path FILE = Path.of("/proc/sys/net/ipv4/ip_forward");

    private IpForward() {}

    /** The current value ({@code 0} or {@code 1}). */
    static String read() throws IOException {
        try (var in = Files.newInputStream(FILE)) { // not Files.readString: /proc sizes are unreliable
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        }
    }

    /** Writes {@code value} back; null (nothing was read) leaves it alone. */
    static void restore(String value) throws IOException {
        if (value != null) {
            Files.writeString(FILE, value + "\n");
        }
    }
}
