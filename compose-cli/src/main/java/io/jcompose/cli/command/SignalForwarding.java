package io.jcompose.cli.command;

import io.jcompose.runtime.api.client.EngineClient;
import java.util.ArrayList;
import java.util.List;

/**
 * While an attached {@code run} lasts, the signals jcompose receives go to the container instead
 * of ending jcompose (compose's {@code ForwardAllSignals}): Ctrl-C without a TTY interrupts the
 * container's process, and jcompose exits with the code the container then exits with.
 */
final class SignalForwarding {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2");

    private SignalForwarding() {}

    /**
     * Forwards the usual signals to the container until the handle is closed.
     *
     * @param client the engine
     * @param container the container's ID
     * @return the handle restoring the JVM's own handlers
     */
    static AutoCloseable to(EngineClient client, String container) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : FORWARDED) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> Thread.ofVirtual().start(() -> {
                    try {
                        client.killContainer(container, "SIG" + name);
                    } catch (RuntimeException e) {
                        // the container is gone: nothing to forward to
                    }
                }));
                restore.add(() -> sun.misc.Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal (QUIT for thread dumps, USR1 on some VMs): leave it
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
