package io.jcompose.runtime.supervise;

import java.time.Duration;
import java.time.Instant;

/**
 * The time source and sleeper of the monitors: the system clock in the daemon, a fake that
 * advances on {@link #sleep} in unit tests (so the schedules can be checked without waiting).
 */
public interface Timing {

    /** Now. */
    Instant now();

    /** Sleeps {@code d} (zero or negative: returns at once); interrupted when a monitor is stopped. */
    void sleep(Duration d) throws InterruptedException;

    /** Wall clock and {@link Thread#sleep}. */
    Timing SYSTEM = new Timing() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (d.isPositive()) Thread.sleep(d);
        }
    };
}
