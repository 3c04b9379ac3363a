package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which engine the API talks to, without talking to it. */
class EngineTargetTest {
    @Test
    void anExplicitHostWinsOverThePropertyAndTheEnvironment() {
        String before = System.getProperty(EngineTarget.HOST_PROPERTY);
        try {
            System.setProperty(EngineTarget.HOST_PROPERTY, "unix:///from/property.sock");
            assertThat(EngineTarget.resolve(null).socket()).contains(Path.of("/from/property.sock"));
            assertThat(EngineTarget.resolve("unix:///given.sock").socket()).contains(Path.of("/given.sock"));
            assertThat(EngineTarget.resolve("tcp://127.0.0.1:2375").socket()).as("no lease over TCP").isEqualTo(Optional.empty());
        } finally {
            if (before == null) {
                System.clearProperty(EngineTarget.HOST_PROPERTY);
            } else {
                System.setProperty(EngineTarget.HOST_PROPERTY, before);
            }
        }
    }

    @Test
    void aBadHostIsOneComposeError() {
        assertThatThrownBy(() -> EngineTarget.resolve("ftp://nowhere").connection()).isInstanceOf(ComposeException.class)
                .hasMessageStartingWith("invalid -H value \"ftp://nowhere\"");
    }
}
