package io.jcompose.runtime.supervise;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when someone sleeps on it or {@link #advance}s it; records the sleeps. */
final class FakeTiming implements Timing {
    private Instant now;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    FakeTiming(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        sleeps.add(d);
        advance(d);
    }
}
