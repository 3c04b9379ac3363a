package io.jcompose.runtime.network.ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Host ports for {@code "80"}-style mappings, Docker's way (RUNTIME-FACTS §7): from
 * {@code ip_local_port_range} minus {@code ip_local_reserved_ports} (fallback 49153–65535),
 * handed out sequentially after the last one, skipping ports that are taken.
 */
public final class EphemeralPorts {
    private final int first;
    private final int last;
    private final Set<Integer> reserved;
    private int next;

    public EphemeralPorts(int first, int last, Set<Integer> reserved) {
        this.first = first;
        this.last = last;
        this.reserved = Set.copyOf(reserved);
        this.next = first;
    }

    /** Reads the kernel's range, falling back to Docker's default when unreadable. */
    public static EphemeralPorts fromKernel() {
        int first = 49153, last = 65535;
        Set<Integer> reserved = new HashSet<>();
        try {
            String[] r = readProc("/proc/sys/net/ipv4/ip_local_port_range").trim().split("\\s+");
            first = Integer.parseInt(r[0]);
            last = Integer.parseInt(r[1]);
            String res = readProc("/proc/sys/net/ipv4/ip_local_reserved_ports").trim();
            for (String part : res.isEmpty() ? new String[0] : res.split(",")) {
                String[] ab = part.split("-");
                int a = Integer.parseInt(ab[0].trim()), b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a;
                for (int p = a; p <= b; p++) reserved.add(p);
            }
        } catch (IOException | RuntimeException e) {
            // keep Docker's fallback range
        }
        return new EphemeralPorts(first, last, reserved);
    }

    /**
     * Reads a /proc file through a stream: {@code Files.readString} trusts the size the file
     * reports and returned only "3" for ip_local_port_range on this kernel (JDK 25).
     */
    static String readProc(String path) throws IOException {
        try (var in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** The next port after the last one given out for which {@code usable} holds. */
    public synchronized int next(IntPredicate usable) {
        int span = last - first + 1;
        for (int i = 0; i < span; i++) {
            int p = next;
            next = next == last ? first : next + 1;
            if (!reserved.contains(p) && usable.test(p)) return p;
        }
        throw new IllegalStateException("all ports from " + first + " to " + last + " are allocated");
    }
}
