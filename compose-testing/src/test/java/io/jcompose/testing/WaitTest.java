package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitTest {
    @Test
    void strategiesDescribeThemselvesAndCarryTheirTimeout() {
        WaitStrategy log = Wait.forLogLine("Ready to accept").withTimeout(Duration.ofSeconds(5));
        assertThat(log).isInstanceOfSatisfying(Wait.LogLine.class, l -> assertThat(l.pattern().pattern()).isEqualTo("Ready to accept"));
        assertThat(log.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(log.describe()).isEqualTo("a log line matching \"Ready to accept\"");
        assertThat(Wait.forPort(6379).timeout()).isEqualTo(Wait.DEFAULT_TIMEOUT);
        assertThat(Wait.forPort(6379).describe()).isEqualTo("port 6379/tcp to accept connections");
        assertThat(Wait.forHttp("/health", 8000).withTimeout(Duration.ofMillis(1500)).describe())
                .isEqualTo("GET /health on port 8000 to answer 2xx");
    }

    @Test
    void badArgumentsFailAtOnceNamingTheValue() {
        assertThatThrownBy(() -> Wait.forPort(0)).hasMessage("port 0 is not between 1 and 65535");
        assertThatThrownBy(() -> Wait.forHttp("health", 80)).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> Wait.forPort(80).withTimeout(Duration.ZERO)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Wait.forLogLine("(unclosed")).isInstanceOf(java.util.regex.PatternSyntaxException.class);
    }
}
