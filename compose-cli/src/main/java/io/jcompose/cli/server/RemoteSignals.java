package io.jcompose.cli.server;

import io.jcompose.cli.Signals;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The signals of one run in the CLI server: those the client forwards. A signal with a handler
 * goes to the newest handler; otherwise a terminating signal (INT, TERM, HUP, QUIT, USR1, USR2)
 * ends the run as it would end the JVM: the termination actions run, then {@code terminate}
 * gets the exit code {@code 128 + signal number}.
 */
final class RemoteSignals implements Signals {
    private static final Map<String, Integer> TERMINATING = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "USR1", 10, "USR2", 12, "TERM", 15);

    private final Map<String, Deque<Runnable>> handlers = new HashMap<>();
    private final List<Runnable> terminations = new ArrayList<>();
    private final IntConsumer terminate;

    /**
     * Signals for one run.
     *
     * @param terminate ends the run with the given exit code (after the termination actions ran)
     */
    RemoteSignals(IntConsumer terminate) {
        this.terminate = terminate;
    }

    @Override
    public synchronized AutoCloseable handle(String name, Runnable handler) {
        handlers.computeIfAbsent(name, n -> new ArrayDeque<>()).push(handler);
        return () -> {
            synchronized (this) {
                Deque<Runnable> d = handlers.get(name);
                if (d != null) {
                    d.remove(handler);
                }
            }
        };
    }

    @Override
    public synchronized AutoCloseable onTermination(Runnable action) {
        terminations.add(action);
        return () -> {
            synchronized (this) {
                terminations.remove(action);
            }
        };
    }

    /**
     * Delivers a signal the client received.
     *
     * @param name the signal without {@code SIG}
     * @return true when a handler took it, false when it ended the run or was ignored
     */
    boolean deliver(String name) {
        Runnable handler;
        List<Runnable> actions;
        synchronized (this) {
            Deque<Runnable> d = handlers.get(name);
            handler = d == null ? null : d.peek();
            actions = handler == null ? List.copyOf(terminations) : List.of();
        }
        if (handler != null) {
            handler.run();
            return true;
        }
        Integer number = TERMINATING.get(name);
        if (number == null) {
            return false; // WINCH, CHLD...: ignored by default, as by a process
        }
        for (Runnable a : actions) {
            try {
                a.run();
            } catch (RuntimeException e) {
                // one failing action must not keep the others from running
            }
        }
        terminate.accept(128 + number);
        return false;
    }
}
