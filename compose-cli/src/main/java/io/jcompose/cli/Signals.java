package io.jcompose.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The signals a run receives: this JVM's ({@link #LOCAL}), or those a CLI client forwards to the
 * server (Ctrl-C in the client's terminal). Commands never call {@code sun.misc.Signal} or
 * {@code Runtime.addShutdownHook} themselves, so a run inside the daemon touches no process state.
 */
public interface Signals {

    /** This JVM's own signals and shutdown hooks. */
    Signals LOCAL = new Local();

    /**
     * Calls {@code handler} on every delivery of the signal until the handle is closed; while it is
     * installed the signal no longer ends the run.
     *
     * @param name the signal without {@code SIG}: {@code INT}, {@code TERM}, {@code HUP}...
     * @param handler what to do (from a signal thread: keep it short or start a thread)
     * @return the handle restoring the previous behaviour; a no-op when the signal cannot be handled
     */
    AutoCloseable handle(String name, Runnable handler);

    /**
     * Runs {@code action} when a signal ends the run (the process's shutdown hooks for the local
     * JVM) until the handle is closed.
     *
     * @param action what to do, e.g. cancel the reconciler
     * @return the handle removing the action
     */
    AutoCloseable onTermination(Runnable action);

    /**
     * Handles several signals with one handler.
     *
     * @param names the signals
     * @param handler what to do on each, given the signal's name
     * @return one handle restoring them all
     */
    default AutoCloseable handleAll(List<String> names, java.util.function.Consumer<String> handler) {
        List<AutoCloseable> handles = new ArrayList<>();
        for (String name : names) {
            handles.add(handle(name, () -> handler.accept(name)));
        }
        return () -> {
            for (AutoCloseable h : handles) {
                h.close();
            }
        };
    }

    /** {@code sun.misc.Signal} and shutdown hooks of this JVM. */
    final class Local implements Signals {
        private Local() {}

        @Override
        public AutoCloseable handle(String name, Runnable handler) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> handler.run());
                return () -> sun.misc.Signal.handle(signal, previous);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                return () -> { }; // the JVM keeps this signal (QUIT for thread dumps, USR1 on some VMs)
            }
        }

        @Override
        public AutoCloseable onTermination(Runnable action) {
            Thread hook = new Thread(action, "jcompose-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running
                }
            };
        }
    }
}
