package io.jcompose.runtime.supervise;

import io.jcompose.runtime.api.model.HealthConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's healthcheck as Docker stores it ({@code Config.Healthcheck}): zero durations and
 * retries mean "inherit from the image, else Docker's default" (RUNTIME-FACTS §6).
 *
 * @param test          {@code ["CMD", argv...]}, {@code ["CMD-SHELL", command]}, {@code ["NONE"]}; empty = inherit
 * @param interval      time between probes (from the end of one to the start of the next); 0 = 30 s
 * @param timeout       time one probe may take; 0 = 30 s
 * @param startPeriod   grace period after start in which failures do not count; 0 = none
 * @param startInterval interval used while starting within the start period; 0 = 5 s
 * @param retries       consecutive failures before unhealthy; 0 = 3
 */
public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                          Duration startInterval, int retries) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_START_PERIOD = Duration.ZERO;
    public static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 3;

    /** The shell of CMD-SHELL when the image sets no SHELL. */
    public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
        interval = orZero(interval);
        timeout = orZero(timeout);
        startPeriod = orZero(startPeriod);
        startInterval = orZero(startInterval);
    }

    /** {@code ["CMD-SHELL", command]} with every other field inherited/default (the CLI's {@code --health-cmd}). */
    public static Healthcheck shell(String command) {
        return new Healthcheck(List.of("CMD-SHELL", command), null, null, null, null, 0);
    }

    /** From the Engine API's {@code Config.Healthcheck} (durations in nanoseconds); null stays null. */
    public static Healthcheck fromApi(HealthConfig c) {
        if (c == null) return null;
        return new Healthcheck(c.test(), nanos(c.interval()), nanos(c.timeout()), nanos(c.startPeriod()),
                nanos(c.startInterval()), c.retries() == null ? 0 : c.retries());
    }

    /** Back to the Engine API's form (inspect {@code Config.Healthcheck}). */
    public HealthConfig toApi() {
        return new HealthConfig(test, interval.toNanos(), timeout.toNanos(), startPeriod.toNanos(), startInterval.toNanos(), retries);
    }

    /**
     * Docker's merge with the image's HEALTHCHECK: an empty test and every zero field take the
     * image's value (the defaults apply later, in the effective accessors).
     *
     * @param image the image's healthcheck, may be null
     */
    public Healthcheck inheriting(Healthcheck image) {
        if (image == null) return this;
        return new Healthcheck(test.isEmpty() ? image.test : test,
                interval.isZero() ? image.interval : interval,
                timeout.isZero() ? image.timeout : timeout,
                startPeriod.isZero() ? image.startPeriod : startPeriod,
                startInterval.isZero() ? image.startInterval : startInterval,
                retries == 0 ? image.retries : retries);
    }

    public Duration effectiveInterval() {
        return interval.isZero() ? DEFAULT_INTERVAL : interval;
    }

    public Duration effectiveTimeout() {
        return timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
    }

    public Duration effectiveStartPeriod() {
        return startPeriod.isZero() ? DEFAULT_START_PERIOD : startPeriod;
    }

    public Duration effectiveStartInterval() {
        return startInterval.isZero() ? DEFAULT_START_INTERVAL : startInterval;
    }

    /** Retries ≤ 0 count as the default, as moby does. */
    public int effectiveRetries() {
        return retries <= 0 ? DEFAULT_RETRIES : retries;
    }

    /**
     * The probe's argv: {@code CMD} runs {@code test[1:]} directly, {@code CMD-SHELL} runs it
     * through {@code shell} (the image's SHELL; null or empty: {@code /bin/sh -c}). Empty for
     * {@code NONE}, an empty test, an unknown kind (Docker logs a warning and disables it) or a
     * kind without a command.
     */
    public Optional<List<String>> probeCommand(List<String> shell) {
        if (test.size() < 2) return Optional.empty();
        List<String> args = test.subList(1, test.size());
        return switch (test.getFirst()) {
            case "CMD" -> Optional.of(List.copyOf(args));
            case "CMD-SHELL" -> {
                List<String> cmd = new ArrayList<>(shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell);
                cmd.addAll(args);
                yield Optional.of(List.copyOf(cmd));
            }
            default -> Optional.empty();
        };
    }

    /** Whether a monitor runs at all (a CMD or CMD-SHELL test with a command). */
    public boolean enabled() {
        return probeCommand(null).isPresent();
    }

    /**
     * Docker's create-time check: each non-zero duration at least 1 ms, retries not negative.
     *
     * @throws IllegalArgumentException with moby's message
     */
    public Healthcheck validate() {
        check("Interval", interval);
        check("Timeout", timeout);
        check("StartPeriod", startPeriod);
        check("StartInterval", startInterval);
        if (retries < 0) throw new IllegalArgumentException("Retries in Healthcheck cannot be negative");
        return this;
    }

    private static void check(String field, Duration d) {
        if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0)
            throw new IllegalArgumentException(field + " in Healthcheck cannot be less than 1ms");
    }

    private static Duration orZero(Duration d) {
        return d == null ? Duration.ZERO : d;
    }

    private static Duration nanos(Long n) {
        return n == null ? Duration.ZERO : Duration.ofNanos(n);
    }
}
