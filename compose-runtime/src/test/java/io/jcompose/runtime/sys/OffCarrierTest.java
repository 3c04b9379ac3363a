package io.jcompose.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OffCarrierTest {

    @Test
    void aVirtualCallerHasTheCallRunOnAPlatformThreadAndGetsItsResult() throws Exception {
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            var f = ex.submit(() -> OffCarrier.get(() -> Thread.currentThread().isVirtual()));
            assertThat(f.get(10, TimeUnit.SECONDS)).as("ran on a virtual thread").isFalse();
        }
    }

    @Test
    void aPlatformCallerRunsItInPlace() {
        Thread caller = Thread.currentThread();
        assertThat(OffCarrier.get(() -> Thread.currentThread() == caller)).isTrue();
    }

    @Test
    void uncheckedExceptionsReachTheVirtualCallerAsTheyAre() throws Exception {
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            var f = ex.submit(() -> {
                assertThatThrownBy(() -> OffCarrier.get(() -> {
                    throw new SyscallException("send", Errno.ENODEV);
                })).isInstanceOf(SyscallException.class).hasMessageContaining("send");
                return true;
            });
            assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
