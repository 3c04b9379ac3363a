package io.jcompose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the jcompose invocations that change one project on one engine: {@code up},
 * {@code down}, {@code create}... of the same project against the same {@code -H} wait for each
 * other; other projects, or the same name on another engine, run in parallel. Docker Compose
 * has no such lock: two concurrent {@code docker compose up} can both create {@code web-1}.
 *
 * <p>The lock is an advisory POSIX record lock ({@code fcntl}, what {@link FileChannel#lock} takes) on {@code <dir>/<project>-<hash>.lock}, where the hash
 * covers the engine host and the project name and {@code <dir>} is {@code JCOMPOSE_LOCK_DIR}, else
 * {@code $XDG_CACHE_HOME/jcompose/locks}, else {@code ~/.cache/jcompose/locks}. The kernel drops
 * the lock when the process ends, also on a crash, so a stale file never blocks; the empty files
 * stay (deleting them would race with a waiter). Invocations inside one JVM (tests, embedding)
 * are serialised by an in-process lock first, since a JVM cannot flock a file twice.
 */
public final class ProjectLock implements AutoCloseable {
    /** The variable that moves the lock directory (tests point it into a temp dir). */
    public static final String DIR_VARIABLE = "JCOMPOSE_LOCK_DIR";

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private ProjectLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * The directory lock files live in, for this environment.
     *
     * @param env the environment ({@code JCOMPOSE_LOCK_DIR}, {@code XDG_CACHE_HOME}, {@code HOME})
     * @return the directory (not created)
     */
    public static Path directory(Map<String, String> env) {
        String dir = env.get(DIR_VARIABLE);
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String cache = env.get("XDG_CACHE_HOME");
        if (cache != null && !cache.isEmpty()) {
            return Path.of(cache, "jcompose", "locks");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "jcompose", "locks");
    }

    /**
     * The lock file of a project on an engine: readable by the project name, unique by a hash
     * of the engine host and the name.
     *
     * @param directory the lock directory
     * @param engineHost the engine address ({@code unix:///run/jcompose/jcompose.sock}, {@code tcp://...})
     * @param project the project name
     * @return the file's path
     */
    public static Path file(Path directory, String engineHost, String project) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((engineHost + "\n" + project).getBytes(StandardCharsets.UTF_8));
            return directory.resolve(project + "-" + HexFormat.of().formatHex(digest, 0, 6) + ".lock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * Takes the lock of {@code file}, waiting as long as another invocation holds it; says once
     * on {@code err} that it waits.
     *
     * @param file the lock file (see {@link #file})
     * @param project the project name, for the waiting message
     * @param err where the waiting message goes
     * @return the held lock; close it to release
     * @throws CliException when the lock file cannot be made
     */
    public static ProjectLock acquire(Path file, String project, PrintWriter err) {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
        boolean said = false;
        if (!local.tryLock()) {
            said = sayWaiting(err, project, file);
            local.lock();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!said) {
                    sayWaiting(err, project, file);
                }
                lock = channel.lock();
            }
            return new ProjectLock(local, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            if (e instanceof IOException io) {
                throw new CliException("cannot lock project \"" + project + "\" with " + file + ": " + io.getMessage()
                        + " (set " + DIR_VARIABLE + " to a writable directory)", ExitCodes.FAILURE, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static boolean sayWaiting(PrintWriter err, String project, Path file) {
        err.println("Waiting for another jcompose working on project \"" + project + "\" to finish (lock " + file + ")");
        err.flush();
        return true;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held yet
            }
        }
    }

    /** Whether this process still holds the lock. */
    public boolean held() {
        return lock.isValid() && local.isHeldByCurrentThread();
    }

    /** Releases the lock (the file stays). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            local.unlock();
        }
    }
}
