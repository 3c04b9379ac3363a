package io.jcompose.runtime.supervise;

import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerState;
import io.jcompose.runtime.container.ExitStatus;
import java.io.IOException;

/**
 * The container operations a {@link RestartSupervisor} needs. The daemon's {@link #start} is its
 * whole start path (networks, health monitor, {@code start} event), not just the engine's.
 */
public interface SupervisedRuntime {

    /** Blocks until the container's process has exited (at once if it is not running). */
    ExitStatus awaitExit(String id) throws IOException, InterruptedException;

    /** Starts the container again. */
    void start(String id) throws IOException;

    /** Its state as the engine sees it. */
    ContainerState state(String id) throws IOException;

    /**
     * Over the bare engine (tests, or a daemon with nothing else to do on start); the wait is
     * interruptible: the engine's own wait reports an interrupt as an IOException.
     */
    static SupervisedRuntime of(ContainerEngine engine) {
        return new SupervisedRuntime() {
            @Override
            public ExitStatus awaitExit(String id) throws IOException, InterruptedException {
                try {
                    return engine.waitExit(id);
                } catch (IOException e) {
                    if (Thread.interrupted()) throw new InterruptedException("stopped waiting for " + id);
                    throw e;
                }
            }

            @Override
            public void start(String id) throws IOException {
                engine.start(id);
            }

            @Override
            public ContainerState state(String id) throws IOException {
                return engine.inspect(id);
            }
        };
    }
}
