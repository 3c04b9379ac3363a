package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposeSessionTest {
    @Test
    void oneIdPerJvmUsableAsLabelAndPathSegment() {
        ComposeSession s = ComposeSession.current();
        assertThat(ComposeSession.current()).isSameAs(s);
        assertThat(s.id()).matches("jct-[0-9a-f]{16}");
        assertThat(s.labels()).containsExactlyEntriesOf(java.util.Map.of("io.jcompose.session", s.id()));
        assertThat(ComposeSession.newId()).isNotEqualTo(ComposeSession.newId());
    }

    @Test
    void keepAliveDurations() {
        Duration fallback = Duration.ofSeconds(10);
        assertThat(ComposeSession.parseDuration(null, fallback)).isEqualTo(fallback);
        assertThat(ComposeSession.parseDuration("30s", fallback)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ComposeSession.parseDuration("45", fallback)).isEqualTo(Duration.ofSeconds(45));
        assertThat(ComposeSession.parseDuration("500ms", fallback)).isEqualTo(Duration.ofMillis(500));
        assertThat(ComposeSession.parseDuration("5m", fallback)).isEqualTo(Duration.ofMinutes(5));
        assertThat(ComposeSession.parseDuration("PT1H", fallback)).isEqualTo(Duration.ofHours(1));
        for (String bad : List.of("soon", "5x", "PTx")) {
            assertThatThrownBy(() -> ComposeSession.parseDuration(bad, fallback)).hasMessageStartingWith("invalid duration \"" + bad + "\"");
        }
    }

    @Test
    void notReadyMessageEndsWithTheLogLines() {
        var e = new ServiceNotReadyException("db", "p-db-1", "timed out after 3s waiting for port 5432/tcp to accept connections",
                List.of("starting", "listening"), null);
        assertThat(e.getMessage()).isEqualTo("""
                service "db" did not become ready: timed out after 3s waiting for port 5432/tcp to accept connections
                last 2 log lines of p-db-1:
                  | starting
                  | listening""");
        assertThat(new ServiceNotReadyException("db", "p-db-1", "exited", List.of(), null).getMessage())
                .endsWith("(container p-db-1 logged nothing)");
    }
}
