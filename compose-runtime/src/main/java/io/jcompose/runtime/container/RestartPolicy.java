package io.jcompose.runtime.container;

import java.time.Duration;
import java.util.Locale;

/**
 * Docker's restart policies and their decisions (RUNTIME-FACTS §4), as pure functions; the
 * daemon's supervisor applies them to exits it observes through {@link ContainerEngine}.
 */
public sealed interface RestartPolicy {
    /** {@code no} (the default). */
    record No() implements RestartPolicy {}

    /** {@code always}. */
    record Always() implements RestartPolicy {}

    /** {@code unless-stopped}. */
    record UnlessStopped() implements RestartPolicy {}

    /** {@code on-failure[:max]}; {@code maxRetries} 0 = unlimited. */
    record OnFailure(int maxRetries) implements RestartPolicy {}

    /**
     * Parses {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure},
     * {@code on-failure:N} (compose's {@code restart:} and Docker's {@code --restart}).
     */
    static RestartPolicy parse(String s) {
        String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("no")) return new No();
        if (v.equals("always")) return new Always();
        if (v.equals("unless-stopped")) return new UnlessStopped();
        if (v.equals("on-failure")) return new OnFailure(0);
        if (v.startsWith("on-failure:")) {
            try {
                int n = Integer.parseInt(v.substring("on-failure:".length()));
                if (n >= 0) return new OnFailure(n);
            } catch (NumberFormatException ignored) {
                // falls through to the error
            }
            throw new IllegalArgumentException("invalid restart policy \"" + s + "\": maximum retry count must be a positive integer");
        }
        throw new IllegalArgumentException("invalid restart policy \"" + s + "\": use no, always, unless-stopped or on-failure[:max-retries]");
    }

    /**
     * Whether an exit leads to a restart.
     *
     * @param exitCode        the exit code
     * @param restartCount    restarts done so far (since the last manual start)
     * @param manuallyStopped the user stopped or killed it
     * @param daemonStopping  the exit happened during engine shutdown
     */
    default boolean restartsAfterExit(int exitCode, int restartCount, boolean manuallyStopped, boolean daemonStopping) {
        if (manuallyStopped || daemonStopping) return false;
        return switch (this) {
            case No n -> false;
            case Always a -> true;
            case UnlessStopped u -> true;
            case OnFailure f -> exitCode != 0 && (f.maxRetries() == 0 || restartCount < f.maxRetries());
        };
    }

    /**
     * Whether a container that was running before is started again when the engine starts:
     * {@code always} even after a manual stop, {@code unless-stopped} only if not, and
     * {@code on-failure} after a failed last exit within its retry count (a manual stop does not
     * matter to it: moby's {@code ShouldRestart} only asks for unless-stopped).
     */
    default boolean restartsOnDaemonStart(int lastExitCode, int restartCount, boolean manuallyStopped) {
        return switch (this) {
            case No n -> false;
            case Always a -> true;
            case UnlessStopped u -> !manuallyStopped;
            case OnFailure f -> lastExitCode != 0 && (f.maxRetries() == 0 || restartCount < f.maxRetries());
        };
    }

    /** The restart delay: 100 ms, doubled after each restart, at most 1 min; back to 100 ms after a run of ≥ 10 s. */
    final class Backoff {
        static final Duration FIRST = Duration.ofMillis(100);
        static final Duration MAX = Duration.ofMinutes(1);
        static final Duration STABLE_RUN = Duration.ofSeconds(10);

        private Duration next = FIRST;

        /** The delay before the restart that follows a run of {@code ranFor}. */
        public Duration delayAfter(Duration ranFor) {
            if (ranFor.compareTo(STABLE_RUN) >= 0) next = FIRST;
            Duration d = next;
            next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
            return d;
        }

        /** A manual start or restart resets the delay. */
        public void reset() {
            next = FIRST;
        }
    }
}
