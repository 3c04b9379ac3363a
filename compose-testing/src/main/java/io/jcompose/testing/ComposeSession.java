package io.jcompose.testing;

import io.jcompose.runtime.api.Sessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This JVM's test session: one random id, put as the label {@value #LABEL} on every container,
 * network and volume the API creates, and the two ways those are cleaned up without a test's help:
 * <ul>
 *   <li>a shutdown hook that takes down every stack still up when the JVM exits normally;</li>
 *   <li>a session lease on each engine used, held while the JVM lives: when the JVM dies without
 *       running hooks ({@code kill -9}), the engine's reaper removes the session's objects once
 *       the lease's keep-alive ({@value #KEEPALIVE_PROPERTY}, else the daemon's default, 10 s)
 *       has passed. {@code JCOMPOSE_REAPER_KEEP=1} in the environment keeps a crashed run's
 *       stacks for debugging (see {@code docs/reaper.md}).</li>
 * </ul>
 */
public final class ComposeSession {
    /** The label that ties an object to its session (the reaper's contract, {@code docs/reaper.md}). */
    public static final String LABEL = Sessions.LABEL;

    /**
     * System property: how long the engine keeps a session's objects after the JVM is gone
     * ({@code 30s}, {@code 5m}, or ISO-8601 {@code PT30S}); raise it to look at a crashed run.
     */
    public static final String KEEPALIVE_PROPERTY = "jcompose.session.keepalive";

    private static final ComposeSession CURRENT = new ComposeSession(newId());

    private final String id;
    private final Set<ComposeStack> stacks = ConcurrentHashMap.newKeySet();
    private final Map<Path, AutoCloseable> leases = new ConcurrentHashMap<>();
    private volatile boolean hookInstalled;

    private ComposeSession(String id) {
        this.id = id;
    }

    /** The session of this JVM. */
    public static ComposeSession current() {
        return CURRENT;
    }

    /** The session id ({@code jct-} and 16 hex digits). */
    public String id() {
        return id;
    }

    /** The labels every object of the session carries. */
    public Map<String, String> labels() {
        return Map.of(LABEL, id);
    }

    static String newId() {
        // unique among the JVMs of a host (the reaper's key): seeded from the clock and the pid;
        // ThreadLocalRandom, not RandomGenerator.of, which scans the JDK's generators at startup
        byte[] b = new byte[8];
        new SplittableRandom(ThreadLocalRandom.current().nextLong() ^ ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L).nextBytes(b);
        return "jct-" + HexFormat.of().formatHex(b);
    }

    /** The keep-alive the leases ask for; null leaves it to the daemon ({@code session-keepalive}, 10 s). */
    static Duration keepAlive() {
        return parseDuration(System.getProperty(KEEPALIVE_PROPERTY), null);
    }

    /**
     * {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}, a number of seconds, or ISO-8601.
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    static Duration parseDuration(String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            char unit = v.charAt(v.length() - 1);
            String n = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
            long amount = Long.parseLong(n);
            return switch (unit) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> {
                    if (unit != 's' && !Character.isDigit(unit)) {
                        throw new NumberFormatException(v);
                    }
                    yield Duration.ofSeconds(amount);
                }
            };
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("invalid duration \"" + value + "\": use e.g. 30s, 5m or PT30S", e);
        }
    }

    /** Holds a lease on the engine (once per socket) before the first object is created there. */
    void holdLease(EngineTarget engine) {
        engine.socket().ifPresent(socket -> leases.computeIfAbsent(socket, s -> {
            installHook();
            return SessionLeases.open(s, id, keepAlive());
        }));
    }

    /** A stack to take down at exit if the test did not. */
    void register(ComposeStack stack) {
        installHook();
        stacks.add(stack);
    }

    /** A stack that is down. */
    void unregister(ComposeStack stack) {
        stacks.remove(stack);
    }

    /** The stacks still up. */
    List<ComposeStack> stacks() {
        return List.copyOf(stacks);
    }

    private synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "jcompose-session-cleanup"));
            hookInstalled = true;
        }
    }

    /** At exit: every stack down in parallel, then the leases ended (the engine then has nothing left to reap). */
    private void cleanUp() {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ComposeStack s : stacks()) {
                pool.submit(() -> {
                    try {
                        s.down();
                    } catch (RuntimeException e) {
                        System.err.println("jcompose: could not take down " + s.projectName() + " at exit: " + e.getMessage());
                    }
                });
            }
        }
        for (AutoCloseable lease : leases.values()) {
            try {
                lease.close();
            } catch (Exception e) {
                // the engine is gone: its reaper has nothing of ours to keep anyway
            }
        }
    }
}
