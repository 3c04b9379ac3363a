package io.jcompose.runtime.container;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's RFC3339Nano (UTC, trailing fractional zeros trimmed), the json-file time format. */
public final class LogTimes {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private LogTimes() {}

    public static String format(Instant t) {
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        if (t.getNano() != 0) {
            String frac = String.format("%09d", t.getNano());
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') end--;
            b.append('.').append(frac, 0, end);
        }
        return b.append('Z').toString();
    }

    static Instant parse(String s) {
        return Instant.parse(s);
    }
}
