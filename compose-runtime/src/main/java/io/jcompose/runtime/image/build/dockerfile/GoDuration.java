package io.jcompose.runtime.image.build.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} syntax ({@code 1m30s}, {@code 500ms}), as HEALTHCHECK takes. */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS = Map.of(
      "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  private GoDuration() {}

  public static Duration parse(String s) {
    String t = s;
    boolean negative = false;
    if (t.startsWith("-") || t.startsWith("+")) {
      negative = t.startsWith("-");
      t = t.substring(1);
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + s + "\"");
    }
    Matcher m = PART.matcher(t);
    BigDecimal total = BigDecimal.ZERO;
    int pos = 0;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("invalid duration \"" + s + "\"");
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      pos = m.end();
    }
    Duration d = Duration.ofNanos(total.longValue());
    return negative ? d.negated() : d;
  }
}
