package io.jcompose.cli.tty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalTerminalTest {
    @Test
    void sizeIsReadFromSttyOrNotAtAll() {
        assertThat(LocalTerminal.parseSize("33 111\n")).hasValueSatisfying(s -> assertThat(s).containsExactly(33, 111));
        assertThat(LocalTerminal.parseSize("0 0\n")).as("a pty nobody sized").isEmpty();
        assertThat(LocalTerminal.parseSize("")).isEmpty();
        assertThat(LocalTerminal.parseSize("stty: standard input: Inappropriate ioctl for device")).isEmpty();
    }

    @Test
    void withoutATerminalRawModeAndResizeAreHarmless() {
        // surefire's forked JVM has no controlling terminal: raw() must not fail, and closing restores nothing
        if (!LocalTerminal.isTerminal(0)) {
            try (LocalTerminal.RawMode raw = LocalTerminal.raw()) {
                assertThat(raw).isNotNull();
            }
        }
        assertThat(LocalTerminal.isTerminal(99)).isFalse();
    }
}
