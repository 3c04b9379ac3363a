package io.jcompose.cli.command;

import io.jcompose.runtime.api.client.EngineClient;
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
     * @param signals the run's signals
     * @param threads the run's threads (the forwarding ones)
     * @param client the engine
     * @param container the container's ID
     * @return the handle restoring the previous handlers
     */
    static AutoCloseable to(io.jcompose.cli.Signals signals, io.jcompose.cli.RunThreads threads, EngineClient client, String container) {
        return signals.handleAll(FORWARDED, name -> threads.start("jcompose-signal", () -> {
            try {
                client.killContainer(container, "SIG" + name);
            } catch (RuntimeException e) {
                // the container is gone: nothing to forward to
            }
        }));
    }
}
