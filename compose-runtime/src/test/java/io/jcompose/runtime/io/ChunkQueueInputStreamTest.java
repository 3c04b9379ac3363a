package io.jcompose.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Chunks in, a stream out: the first-read hook, the end of input and what comes after it. */
class ChunkQueueInputStreamTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void asksOnceThenReadsWhatWasOfferedUntilTheEnd() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        ChunkQueueInputStream in = new ChunkQueueInputStream(asked::incrementAndGet);
        assertThat(asked).hasValue(0);
        in.offer(bytes("hel"));
        in.offer(bytes("lo\n"));
        in.end();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(asked).hasValue(1);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[4], 0, 4)).as("the end stays the end").isEqualTo(-1);
    }

    @Test
    void oneByteReadsAndAvailableFollowTheChunks() throws IOException {
        ChunkQueueInputStream in = new ChunkQueueInputStream();
        assertThat(in.available()).isZero();
        in.offer(new byte[] {(byte) 0xff, 2, 3});
        assertThat(in.read()).as("unsigned").isEqualTo(0xff);
        assertThat(in.available()).isEqualTo(2);
        assertThat(in.read(new byte[8], 0, 8)).as("one chunk per read").isEqualTo(2);
        assertThat(in.read(new byte[0], 0, 0)).isZero();
    }

    @Test
    void anEmptyChunkIsNoDataAndChunksAfterTheEndAreDropped() throws IOException {
        ChunkQueueInputStream in = new ChunkQueueInputStream();
        assertThat(in.offer(new byte[0])).isTrue();
        assertThat(in.offer(bytes("a"))).isTrue();
        in.end();
        in.end();
        assertThat(in.offer(bytes("late"))).isFalse();
        assertThat(in.readAllBytes()).isEqualTo(bytes("a"));
        assertThat(in.available()).isZero();
    }

    @Test
    void aLostPeerEndsTheInput() throws IOException {
        ChunkQueueInputStream in = new ChunkQueueInputStream(() -> { });
        in.end();
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    }

    @Test
    void aReaderWaitsForTheNextChunkAndAnInterruptEndsTheWait() throws Exception {
        ChunkQueueInputStream in = new ChunkQueueInputStream();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return in.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        in.offer(bytes("x"));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo('x');

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                in.read();
            } catch (IOException e) {
                failure.set(e);
            }
        });
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> reader.getState() == Thread.State.WAITING);
        reader.interrupt();
        assertThat(reader.join(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining("interrupted");
    }
}
