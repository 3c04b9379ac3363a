package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes threads waiting for a file to appear in a container's state directory (the shim renames
 * {@code exit} into place), with ONE inotify instance for the whole engine. A watch service per
 * wait cost an inotify instance and a poller thread per running container (the restart
 * supervisor waits on every one), and {@code fs.inotify.max_user_instances} (128 by default,
 * shared by every process of the user) stopped the engine at about a hundred containers.
 */
final class StateDirWatcher {
    /** One watched directory: its key and a counter bumped on each event. */
    private static final class Dir {
        final WatchKey key;
        long events; // guarded by the Dir

        Dir(WatchKey key) {
            this.key = key;
        }
    }

    /** A registration; {@link #close()} it when done waiting. */
    final class Watch implements AutoCloseable {
        private final Dir dir;

        private Watch(Dir dir) {
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

        /**
         * Nothing to undo: the directory stays watched until it is deleted (the container's
         * removal; the kernel then drops the watch and the key becomes invalid). Cancelling the key
         * when its last waiter left took a round trip to the JDK's watch-service poller thread;
         * with 50 containers exiting together those ran one after another and held up the
         * dispatch of the next exits by up to half a second.
         */
        @Override
        public void close() {
            // see above
        }
    }

    /** Watched directories; a new key is registered only where there is none or it became invalid. */
    private final Map<Path, Dir> dirs = new ConcurrentHashMap<>();
    private WatchService service; // guarded by this; made on first use

    /**
     * Starts watching {@code dir} for created entries (shared with other waiters on it).
     *
     * @throws IOException when inotify or the directory refuses
     */
    Watch watch(Path dir) throws IOException {
        Dir d = dirs.get(dir);
        if (d != null && d.key.isValid()) {
            return new Watch(d);
        }
        synchronized (this) {
            if (service == null) {
                service = dir.getFileSystem().newWatchService();
                WatchService s = service;
                Thread.ofPlatform().daemon().name("state-dir-watcher").start(() -> dispatch(s));
            }
            d = dirs.get(dir);
            if (d == null || !d.key.isValid()) {
                d = new Dir(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE));
                dirs.put(dir, d);
            }
            return new Watch(d);
        }
    }

    private void dispatch(WatchService s) {
        try {
            while (true) {
                WatchKey key = s.take();
                key.pollEvents();
                boolean valid = key.reset();
                Path path = (Path) key.watchable();
                Dir d = dirs.get(path);
                if (d != null && d.key == key) {
                    synchronized (d) {
                        d.events++;
                        d.notifyAll();
                    }
                    if (!valid) {
                        dirs.remove(path, d); // the directory is gone
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // the engine is going away
        }
    }
}
