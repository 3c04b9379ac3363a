package io.jcompose.runtime.network.ipam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Host-wide mutual exclusion for choosing a subnet and putting it on a bridge. Each engine picks
 * the first pool subnet that no host route or address uses (as Docker does); without a lock two
 * engines could both look before either has added its bridge address, and pick the same one.
 * An {@code flock} on {@code /run/lock/jcompose-ipam.lock} serialises engines in different
 * processes; a JVM-wide lock serialises engines in one process (file locks are per process).
 * The kernel drops the lock when a process dies, so a crashed engine blocks no one.
 */
public final class HostIpamLock {
    /** The lock file; its content is irrelevant. */
    public static final Path FILE = Path.of("/run/lock/jcompose-ipam.lock");

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private HostIpamLock() {}

    /** Runs {@code work} while holding the host-wide lock. */
    public static <T> T holding(Supplier<T> work) {
        IN_PROCESS.lock();
        try {
            Files.createDirectories(FILE.getParent());
            try (FileChannel ch = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + FILE + " (needed to choose a free subnet): " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
