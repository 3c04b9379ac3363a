package io.jcompose.runtime.state;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Per-object locks: calls on the same object (same key) run one at a time, calls on different
 * objects run in parallel. Lock entries exist only while someone holds or waits for them.
 */
public final class ObjectLocks {

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** A lock held until {@link #close}; the lock is reentrant, so one thread may hold it again. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock of {@code key} for a try-with-resources block (for code that throws checked
     * exceptions, where {@link #withLock} is awkward).
     */
    public Held hold(String key) {
        Entry e = entries.compute(key, (k, old) -> {
            Entry n = old == null ? new Entry() : old;
            n.users++;
            return n;
        });
        e.lock.lock();
        return () -> {
            e.lock.unlock();
            entries.computeIfPresent(key, (k, old) -> --old.users == 0 ? null : old);
        };
    }

    /** Runs {@code action} holding the lock of {@code key}, and returns its result. */
    public <T> T withLock(String key, Supplier<T> action) {
        try (Held h = hold(key)) {
            return action.get();
        }
    }

    /** Runs {@code action} holding the lock of {@code key}. */
    public void withLock(String key, Runnable action) {
        withLock(key, () -> {
            action.run();
            return null;
        });
    }

    /** How many keys are locked or waited for (tests check nothing leaks). */
    public int size() {
        return entries.size();
    }
}
