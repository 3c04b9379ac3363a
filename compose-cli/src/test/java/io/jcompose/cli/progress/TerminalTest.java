package io.jcompose.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The FFM calls work in a test JVM, whose stderr is a pipe to Maven. The terminal case is shown
 * by bench/cli/show-progress, which runs the display in a tmux pane.
 */
class TerminalTest {
    @Test
    void aPipeIsNoTerminalAndHasComposesDefaultSize() {
        boolean terminal = Terminal.stderrIsTerminal();
        int[] size = Terminal.size();
        assertThat(size).hasSize(2);
        assertThat(size[0]).isPositive();
        assertThat(size[1]).isPositive();
        if (!terminal) {
            assertThat(size).containsExactly(Terminal.DEFAULT_WIDTH, Terminal.DEFAULT_HEIGHT);
        }
    }
}
