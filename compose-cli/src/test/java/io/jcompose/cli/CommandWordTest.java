package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sub-command behind the global flags. */
class CommandWordTest {
    private static String of(String... args) {
        return CommandWord.of(args).orElse("<none>");
    }

    @Test
    void skipsGlobalFlagsAndTheirValues() {
        assertThat(of("exec", "web", "sh")).isEqualTo("exec");
        assertThat(of("-p", "exec", "-f", "run", "--dry-run", "ps")).isEqualTo("ps");
        assertThat(of("-H", "unix:///x", "--host", "y", "--progress=plain", "-fcompose.yaml", "run", "web")).isEqualTo("run");
        assertThat(of("--profile", "up", "up")).isEqualTo("up");
    }

    @Test
    void noCommand() {
        assertThat(of()).isEqualTo("<none>");
        assertThat(of("--help")).isEqualTo("<none>");
        assertThat(of("-p", "x")).isEqualTo("<none>");
    }
}
