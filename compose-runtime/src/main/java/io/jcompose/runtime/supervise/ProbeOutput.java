package io.jcompose.runtime.supervise;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The probe's combined stdout and stderr as Docker keeps it: the first {@value #MAX_BYTES} bytes,
 * {@code ...} appended when more was written. Thread-safe (two pumps write into it).
 */
public final class ProbeOutput {

    /** Docker's {@code maxOutputLen}. */
    public static final int MAX_BYTES = 4096;

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    /** Appends while there is room; the rest is counted as lost. */
    public synchronized void write(byte[] data, int off, int len) {
        int keep = Math.min(MAX_BYTES - kept.size(), len);
        if (keep > 0) kept.write(data, off, keep);
        if (keep < len) truncated = true;
    }

    /** The kept text (invalid UTF-8 becomes U+FFFD, as Go's JSON encoder does), {@code ...} if truncated. */
    @Override
    public synchronized String toString() {
        String s = kept.toString(StandardCharsets.UTF_8);
        return truncated ? s + "..." : s;
    }

    /** The result of a probe that ran past its timeout: −1 and moby's message, with the output so far. */
    public static ProbeRunner.Result timedOut(Duration timeout, String output) {
        String msg = "Health check exceeded timeout (" + goDuration(timeout) + ")";
        return new ProbeRunner.Result(-1, output == null || output.isEmpty() ? msg : msg + ": " + output);
    }

    /** Go's {@code time.Duration.String()}: {@code 30s}, {@code 1m30s}, {@code 1h0m0s}, {@code 1.5s}, {@code 500ms}. */
    static String goDuration(Duration d) {
        long n = d.toNanos();
        if (n == 0) return "0s";
        String sign = n < 0 ? "-" : "";
        n = Math.abs(n);
        if (n < 1_000) return sign + n + "ns";
        if (n < 1_000_000) return sign + decimal(n, 3) + "µs";
        if (n < 1_000_000_000) return sign + decimal(n, 6) + "ms";
        long h = n / 3_600_000_000_000L, m = n / 60_000_000_000L % 60;
        String s = decimal(n % 60_000_000_000L, 9) + "s";
        if (h > 0) return sign + h + "h" + m + "m" + s;
        if (m > 0) return sign + m + "m" + s;
        return sign + s;
    }

    private static String decimal(long value, int scale) {
        return BigDecimal.valueOf(value, scale).stripTrailingZeros().toPlainString();
    }
}
