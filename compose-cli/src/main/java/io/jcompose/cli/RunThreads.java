package io.jcompose.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads one run starts beside its own (log followers, attach pumps, signal forwarders):
 * virtual threads that end with the run. A local run ends with its JVM; a run in the CLI server
 * shares the daemon's JVM, so {@link #close()} at the run's end interrupts those still going and
 * waits for them. Commands start here every thread that may still run when the command's own
 * thread stops waiting for it (an executor the command closes itself may stay a plain one).
 */
public final class RunThreads implements AutoCloseable {
    /** How long {@link #close()} waits for interrupted threads to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RunThreads.class);

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** An open scope without threads. */
    public RunThreads() {}

    /**
     * Starts a virtual thread of this run.
     *
     * @param name the thread's name (thread dumps show it)
     * @param task what it runs
     * @return the started thread
     * @throws RejectedExecutionException when the run has ended
     */
    public Thread start(String name, Runnable task) {
        Thread t = factory(name).newThread(task);
        if (t == null) {
            throw new RejectedExecutionException("the run has ended: no new thread " + name);
        }
        t.start();
        return t;
    }

    /**
     * An executor with one virtual thread of this run per task (for fan-out that waits for all,
     * closed by its user as usual).
     *
     * @param name the name of its threads
     * @return the executor
     */
    public ExecutorService newExecutor(String name) {
        return Executors.newThreadPerTaskExecutor(factory(name));
    }

    /**
     * Creates unstarted virtual threads of this run; none once it has ended (executors then
     * reject tasks).
     *
     * @param name the threads' name
     * @return the factory
     */
    public ThreadFactory factory(String name) {
        return task -> {
            if (closed) {
                return null;
            }
            Thread[] self = new Thread[1];
            Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
                try {
                    if (!closed) { // created before the end but started after it: do nothing
                        task.run();
                    }
                } finally {
                    live.remove(self[0]);
                }
            });
            self[0] = t;
            live.add(t);
            if (closed) { // closed meanwhile: close() may not have seen it
                live.remove(t);
                return null;
            }
            return t;
        };
    }

    /**
     * The threads of this run that have not ended yet.
     *
     * @return their number (started or about to be)
     */
    public int alive() {
        return live.size();
    }

    /**
     * Ends the run's threads: no new ones, those still going interrupted, then awaited for up to
     * {@link #CLOSE_WAIT} (a thread that ignores interrupts is logged, not waited for longer).
     * Later calls do nothing more than wait again.
     */
    @Override
    public void close() {
        closed = true;
        List<Thread> threads = List.copyOf(live);
        threads.forEach(Thread::interrupt);
        Instant until = Instant.now().plus(CLOSE_WAIT);
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue; // a thread of the run ending it ends right after
            }
            try {
                if (!t.join(Duration.between(Instant.now(), until))) {
                    LOG.warn("thread {} of an ended run did not stop within {} s", t.getName(), CLOSE_WAIT.toSeconds());
                }
            } catch (IllegalThreadStateException e) {
                // created but never started: it does nothing if it is started now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
