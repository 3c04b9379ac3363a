package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;

/**
 * Wakes threads waiting for a file to appear in a container's state directory (the shim renames
 * {@code exit} into place), with ONE inotify instance for the whole engine. A watch service per
 * wait cost an inotify instance and a poller thread per running container (the restart
 * supervisor waits on every one), and {@code fs.inotify.max_user_instances} (128 by default,
 * shared by every process of the user) stopped the engine at about a hundred containers.
 */
final class StateDirWatcher {
    /** One watched directory: its key, how many wait on it, and a counter bumped on each event. */
    private static final class Dir {
        final WatchKey key;
        int waiters;
        long events;

        Dir(WatchKey key) {
            this.key = key;
        }
    }

    /** A registration; {@link #close()} it when done waiting. */
    final class Watch implements AutoCloseable {
        private final Path path;
        private final Dir dir;

        private Watch(Path path, Dir dir) {
            this.path = path;
            this.dir = dir;
        }

        /** The event count now: take it before checking the directory, then {@link #awaitAfter} it. */
        long mark() {
            synchronized (dir) {
                return dir.events;
            }
        }

        /**
         * Waits until an event came after {@code mark} or {@code nanos} passed.
         *
         * @throws InterruptedException when the waiting thread is interrupted
         */
        void awaitAfter(long mark, long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            synchronized (dir) {
                for (long left = nanos; dir.events == mark && left > 0; left = deadline - System.nanoTime()) {
                    dir.wait(Math.max(1, left / 1_000_000));
                }
            }
        }

        @Override
        public void close() {
            synchronized (StateDirWatcher.this) {
                if (--dir.waiters == 0) {
                    dir.key.cancel();
                    dirs.remove(path, dir); // not a newer registration of the same path
                }
            }
        }
    }

    private final Map<Path, Dir> dirs = new HashMap<>(); // guarded by this
    private WatchService service; // guarded by this; made on first use

    /**
     * Starts watching {@code dir} for created entries (shared with other waiters on it).
     *
     * @throws IOException when inotify or the directory refuses
     */
    synchronized Watch watch(Path dir) throws IOException {
        if (service == null) {
            service = dir.getFileSystem().newWatchService();
            WatchService s = service;
            Thread.ofPlatform().daemon().name("state-dir-watcher").start(() -> dispatch(s));
        }
        Dir d = dirs.get(dir);
        if (d == null || !d.key.isValid()) {
            d = new Dir(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE));
            dirs.put(dir, d);
        }
        d.waiters++;
        return new Watch(dir, d);
    }

    private void dispatch(WatchService s) {
        try {
            while (true) {
                WatchKey key = s.take();
                key.pollEvents();
                key.reset();
                Dir d;
                synchronized (this) {
                    d = dirs.get((Path) key.watchable());
                }
                if (d != null && d.key == key) {
                    synchronized (d) {
                        d.events++;
                        d.notifyAll();
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // the engine is going away
        }
    }
}
