package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waits on many state directories share one inotify instance (the per-user limit,
 * {@code fs.inotify.max_user_instances}, is 128 by default and stopped the engine at about a
 * hundred running containers), and each waiter wakes on a file created in its own directory.
 */
class StateDirWatcherTest {
    @TempDir Path tmp;

    @Test
    void twoHundredWaitsUseOneInotifyInstanceAndEachSeesItsFile() throws Exception {
        StateDirWatcher watcher = new StateDirWatcher();
        long inotifyBefore = inotifyInstances();
        List<StateDirWatcher.Watch> watches = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Path d = Files.createDirectory(tmp.resolve("c" + i));
                dirs.add(d);
                watches.add(watcher.watch(d));
            }
            assertThat(inotifyInstances() - inotifyBefore).as("inotify instances for 200 waits").isEqualTo(1);
            for (int i = 0; i < 200; i++) {
                StateDirWatcher.Watch w = watches.get(i);
                long mark = w.mark();
                Files.writeString(dirs.get(i).resolve("exit"), "{}");
                w.awaitAfter(mark, TimeUnit.SECONDS.toNanos(30));
                assertThat(w.mark()).as("waiter " + i + " woken by its event, not by the time limit").isGreaterThan(mark);
            }
        } finally {
            watches.forEach(StateDirWatcher.Watch::close);
        }
    }

    @Test
    void aSecondWatchOnTheSameDirectorySharesItAndOutlivesTheFirst() throws Exception {
        StateDirWatcher watcher = new StateDirWatcher();
        Path d = Files.createDirectory(tmp.resolve("shared"));
        StateDirWatcher.Watch a = watcher.watch(d);
        StateDirWatcher.Watch b = watcher.watch(d);
        a.close();
        long mark = b.mark();
        Files.writeString(d.resolve("exit"), "{}");
        b.awaitAfter(mark, TimeUnit.SECONDS.toNanos(30));
        assertThat(b.mark()).isGreaterThan(mark);
        b.close();
    }

    private static long inotifyInstances() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }
}
