package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessArgsTest {
    static final List<String> IMG_EP = List.of("/entry.sh");
    static final List<String> IMG_CMD = List.of("serve", "--port", "80");

    @Test
    void imageEntrypointAndCmdWhenNothingRequested() {
        assertThat(ProcessArgs.resolve(IMG_EP, IMG_CMD, null, null)).containsExactly("/entry.sh", "serve", "--port", "80");
    }

    @Test
    void requestCmdReplacesImageCmdButKeepsImageEntrypoint() {
        assertThat(ProcessArgs.resolve(IMG_EP, IMG_CMD, null, List.of("shell"))).containsExactly("/entry.sh", "shell");
    }

    @Test
    void explicitEntrypointDropsImageCmd() {
        assertThat(ProcessArgs.resolve(IMG_EP, IMG_CMD, List.of("/bin/sh"), null)).containsExactly("/bin/sh");
        assertThat(ProcessArgs.resolve(IMG_EP, IMG_CMD, List.of("/bin/sh", "-c"), List.of("echo hi")))
                .containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void emptyStringEntrypointMeansNoEntrypointAndNoImageCmd() {
        assertThat(ProcessArgs.resolve(IMG_EP, IMG_CMD, List.of(""), List.of("ls", "/"))).containsExactly("ls", "/");
        assertThatThrownBy(() -> ProcessArgs.resolve(IMG_EP, IMG_CMD, List.of(""), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no command specified");
    }

    @Test
    void emptyListEntrypointClearsImageEntrypointButKeepsImageCmd() {
        assertThat(ProcessArgs.resolve(IMG_EP, IMG_CMD, List.of(), null)).containsExactly("serve", "--port", "80");
    }

    @Test
    void nothingAnywhereIsAnError() {
        assertThatThrownBy(() -> ProcessArgs.resolve(null, null, null, List.of()))
                .hasMessage("no command specified");
    }
}
