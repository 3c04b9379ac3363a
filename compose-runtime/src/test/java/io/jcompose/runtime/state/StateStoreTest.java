package io.jcompose.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    record Thing(String name, int n) {}

    @TempDir
    Path dir;

    @Test
    void writesReadsReplacesAndDeletesRecords() {
        StateStore s = new StateStore(dir);
        s.put("things", "a", new Thing("a", 1));
        s.put("things", "a", new Thing("a", 2));
        s.put("things", "b", new Thing("b", 3));
        assertThat(s.get("things", "a", Thing.class)).contains(new Thing("a", 2));
        assertThat(s.loadAll("things", Thing.class)).containsOnlyKeys("a", "b");
        s.delete("things", "a");
        assertThat(s.get("things", "a", Thing.class)).isEmpty();
        assertThat(dir.resolve("things")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".tmp"));
    }

    @Test
    void writeBehindKeepsTheLatestValueAndFlushWaitsForIt() throws Exception {
        try (StateStore s = new StateStore(dir, tools.jackson.databind.json.JsonMapper.builder().build())) {
            for (int i = 0; i < 50; i++) {
                s.putLater("things", "c", new Thing("c", i));
            }
            s.putLater("things", "a", new Thing("a", 1));
            s.putLater("things", "b", new Thing("b", 1));
            s.deleteLater("things", "b");
            s.flush();
            assertThat(s.get("things", "c", Thing.class)).contains(new Thing("c", 49));
            assertThat(s.loadAll("things", Thing.class).keySet()).as("in id order, b deleted").containsExactly("a", "c");
            assertThat(Files.readString(dir.resolve("things/a.json"))).as("the given mapper's form").contains("\"name\"");
        }
    }

    @Test
    void getSeesAQueuedValueBeforeItIsWritten() throws Exception {
        try (StateStore s = new StateStore(dir)) {
            s.put("things", "a", new Thing("a", 1));
            for (int i = 0; i < 200; i++) {
                s.putLater("things", "a", new Thing("a", i));
                assertThat(s.get("things", "a", Thing.class)).as("never the older file").contains(new Thing("a", i));
            }
            s.deleteLater("things", "a");
            assertThat(s.get("things", "a", Thing.class)).isEmpty();
            s.flush();
            assertThat(dir.resolve("things/a.json")).doesNotExist();
            s.putLater("things", "a", new Thing("a", 7));
            s.flush();
            assertThat(new StateStore(dir).get("things", "a", Thing.class)).as("on disk after the flush").contains(new Thing("a", 7));
        }
    }

    @Test
    void concurrentDurableWritesAndDeletesShareDirectoryFsyncsAndAllLand() throws Exception {
        StateStore s = new StateStore(dir);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String id = "r" + i;
                fs.add(ex.submit(() -> {
                    s.put("things", id, new Thing(id, 1));
                    if (id.hashCode() % 2 == 0) {
                        s.delete("things", id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        var left = new StateStore(dir).loadAll("things", Thing.class).keySet();
        for (int i = 0; i < 64; i++) {
            String id = "r" + i;
            if (id.hashCode() % 2 == 0) {
                assertThat(left).doesNotContain(id);
            } else {
                assertThat(left).contains(id);
            }
        }
    }

    @Test
    void atLoadRemovesTornTempFilesAndMovesCorruptRecordsAside() throws Exception {
        StateStore s = new StateStore(dir);
        s.put("things", "good", new Thing("good", 1));
        Files.writeString(dir.resolve("things/.tmp-good-7"), "{\"name\":\"go"); // a crash mid-write
        Files.writeString(dir.resolve("things/bad.json"), "{not json");
        assertThat(s.loadAll("things", Thing.class)).containsOnlyKeys("good");
        assertThat(dir.resolve("things/.tmp-good-7")).doesNotExist();
        assertThat(dir.resolve("things/bad.json.corrupt")).exists();
    }

    @Test
    void refusesNamesThatWouldEscapeTheDirectory() {
        StateStore s = new StateStore(dir);
        assertThatThrownBy(() -> s.put("things", "../x", new Thing("x", 1))).hasMessageContaining("invalid state record name");
        assertThatThrownBy(() -> s.put("../k", "x", new Thing("x", 1))).hasMessageContaining("invalid state record name");
    }

    @Test
    void sameObjectSerialisesDifferentObjectsRunInParallel() throws Exception {
        ObjectLocks locks = new ObjectLocks();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fs.add(ex.submit(() -> locks.withLock("same", () -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                })));
            }
            for (Future<?> f : fs) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(maxInside.get()).isEqualTo(1);

            // two different keys: both holders are inside at the same time
            CountDownLatch both = new CountDownLatch(2);
            Future<?> a = ex.submit(() -> locks.withLock("a", () -> awaitQuietly(both)));
            Future<?> b = ex.submit(() -> locks.withLock("b", () -> awaitQuietly(both)));
            a.get(10, TimeUnit.SECONDS);
            b.get(10, TimeUnit.SECONDS);
        }
        assertThat(locks.size()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        latch.countDown();
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("the other key's holder never got in: locks are not per object");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
