package io.jcompose.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signals a client forwards: handlers first, else the run ends as a process would. */
class RemoteSignalsTest {
    private final List<String> seen = new ArrayList<>();
    private final RemoteSignals signals = new RemoteSignals(code -> seen.add("exit " + code));

    @Test
    void aHandlerTakesTheSignalUntilClosed() throws Exception {
        AutoCloseable h = signals.handle("INT", () -> seen.add("handled"));
        assertThat(signals.deliver("INT")).isTrue();
        h.close();
        assertThat(signals.deliver("INT")).isFalse();
        assertThat(seen).containsExactly("handled", "exit 130");
    }

    @Test
    void theNewestHandlerWins() throws Exception {
        signals.handle("TERM", () -> seen.add("outer"));
        AutoCloseable inner = signals.handle("TERM", () -> seen.add("inner"));
        signals.deliver("TERM");
        inner.close();
        signals.deliver("TERM");
        assertThat(seen).containsExactly("inner", "outer");
    }

    @Test
    void withoutAHandlerTerminationActionsRunThenTheRunEnds() throws Exception {
        AutoCloseable removed = signals.onTermination(() -> seen.add("removed"));
        signals.onTermination(() -> {
            throw new IllegalStateException("a failing action");
        });
        signals.onTermination(() -> seen.add("cancel"));
        removed.close();
        signals.deliver("TERM");
        assertThat(seen).containsExactly("cancel", "exit 143");
    }

    @Test
    void aResizeWithoutHandlerIsIgnored() {
        assertThat(signals.deliver("WINCH")).isFalse();
        assertThat(seen).isEmpty();
    }
}
