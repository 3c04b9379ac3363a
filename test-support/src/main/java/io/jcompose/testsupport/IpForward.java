package io.jcompose.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's IPv4 forwarding switch, which the engine turns on for NAT as Docker does and never
 * off. {@link HostStateGuard} gives it back after every root test class; tests need not.
 */
public final class IpForward {
    private static final Path FILE = Path.of("/proc/sys/net/ipv4/ip_forward");

    private IpForward() {}

    /**
     * The current value.
     *
     * @return {@code "0"} or {@code "1"}
     * @throws IOException when /proc cannot be read
     */
    public static String read() throws IOException {
        try (InputStream in = Files.newInputStream(FILE)) { // not Files.readString: /proc sizes are unreliable
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    /**
     * Writes {@code value} back unless it is already set.
     *
     * @param value what {@link #read()} returned earlier
     * @return whether it had to be written (someone changed it)
     * @throws IOException when /proc cannot be written (not root)
     */
    public static boolean restore(String value) throws IOException {
        if (value.equals(read())) {
            return false;
        }
        Files.writeString(FILE, value + "\n");
        return true;
    }
}
