package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A run's threads end with it: interrupted and awaited at close, none started afterwards. */
class RunThreadsTest {

    @Test
    void closeInterruptsAndAwaitsTheRunsThreads() throws Exception {
        RunThreads threads = new RunThreads();
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread follower = threads.start("jcompose-test-follower", () -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        ExecutorService pool = threads.newExecutor("jcompose-test-pool");
        pool.submit(() -> {
            started.countDown();
            new CountDownLatch(1).await(); // only an interrupt ends this
            return null;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(follower.getName()).isEqualTo("jcompose-test-follower");
        assertThat(follower.isVirtual()).isTrue();
        assertThat(threads.alive()).isEqualTo(2);

        threads.close();

        assertThat(follower.isAlive()).isFalse();
        assertThat(interrupted).isTrue();
        assertThat(threads.alive()).isZero();
        pool.close(); // its task ended with the interrupt: closing does not wait
    }

    @Test
    void anEndedRunStartsNoThread() {
        RunThreads threads = new RunThreads();
        threads.close();
        assertThatThrownBy(() -> threads.start("late", () -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("late");
        try (ExecutorService pool = threads.newExecutor("late-pool")) {
            assertThatThrownBy(() -> pool.submit(() -> { })).isInstanceOf(RejectedExecutionException.class);
        }
        assertThat(threads.factory("late").newThread(() -> { })).isNull();
        assertThat(threads.alive()).isZero();
    }

    @Test
    void aThreadMadeBeforeTheEndButStartedAfterItDoesNothing() throws InterruptedException {
        RunThreads threads = new RunThreads();
        AtomicBoolean ran = new AtomicBoolean();
        Thread made = threads.factory("jcompose-test-late").newThread(() -> ran.set(true));
        threads.close();
        made.start();
        made.join();
        assertThat(ran).isFalse();
        assertThat(threads.alive()).isZero();
    }
}
