package io.jcompose.runtime.sys;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs a blocking native call on a platform thread when the caller is a virtual thread. A
 * virtual thread stays pinned to its carrier during an FFM downcall, and the scheduler does not
 * make up for it (as it does for the JDK's own file I/O): with 2 cores there are 2 carriers, so
 * two netlink requests that wait in the kernel (a veth deletion waits for an RCU grace period,
 * ~30 ms) stalled every other virtual thread of the daemon. A {@code down} of 50 containers, whose
 * exit handlers each delete a veth, ran their network releases two at a time (~1.2 s of a
 * ~1.5 s down; 0.1 s with the calls moved off the carriers). The waiting virtual thread unmounts.
 */
public final class OffCarrier {
    private static final ExecutorService PLATFORM = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jc-native-call");
        t.setDaemon(true);
        return t;
    });

    private OffCarrier() {}

    /**
     * {@code call.get()} on a platform thread if the current thread is virtual, else right here.
     * Its unchecked exceptions and errors reach the caller as they are.
     */
    public static <T> T get(Supplier<T> call) {
        if (!Thread.currentThread().isVirtual()) {
            return call.get();
        }
        Future<T> f = PLATFORM.submit(call::get);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the native call runs to its end anyway; its result is still ours
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
