package io.jcompose.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.model.HealthConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthcheckTest {

    @Test
    void testForms() {
        assertThat(new Healthcheck(List.of("CMD", "curl", "-f", "x"), null, null, null, null, 0).probeCommand(null))
                .contains(List.of("curl", "-f", "x"));
        assertThat(Healthcheck.shell("exit 1").probeCommand(null)).contains(List.of("/bin/sh", "-c", "exit 1"));
        assertThat(Healthcheck.shell("exit 1").probeCommand(List.of("/bin/bash", "-lc"))).contains(List.of("/bin/bash", "-lc", "exit 1"));
        assertThat(new Healthcheck(List.of("NONE"), null, null, null, null, 0).enabled()).isFalse();
        assertThat(new Healthcheck(List.of(), null, null, null, null, 0).enabled()).isFalse();
        assertThat(new Healthcheck(List.of("SHELL", "x"), null, null, null, null, 0).enabled()).as("unknown kind").isFalse();
    }

    @Test
    void defaultsAndImageInheritance() {
        var image = new Healthcheck(List.of("CMD", "probe"), Duration.ofSeconds(7), Duration.ofSeconds(2), null, null, 9);
        var request = new Healthcheck(List.of(), null, Duration.ofSeconds(4), null, null, 0).inheriting(image);
        assertThat(request.test()).containsExactly("CMD", "probe");
        assertThat(request.effectiveInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(request.effectiveTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(request.effectiveRetries()).isEqualTo(9);
        assertThat(request.effectiveStartInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(request.effectiveStartPeriod()).isZero();
        var none = Healthcheck.shell("x");
        assertThat(none.effectiveInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(none.effectiveTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(none.effectiveRetries()).isEqualTo(3);
    }

    @Test
    void apiFormInNanoseconds() {
        var api = new HealthConfig(List.of("CMD-SHELL", "true"), 2_000_000_000L, null, 0L, 500_000_000L, 4);
        var h = Healthcheck.fromApi(api);
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.startInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(h.toApi().interval()).isEqualTo(2_000_000_000L);
        assertThat(Healthcheck.fromApi(null)).isNull();
    }

    @Test
    void validationWithMobysMessages() {
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "x"), Duration.ofNanos(10), null, null, null, 0).validate())
                .hasMessage("Interval in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> new Healthcheck(List.of("CMD", "x"), null, null, null, null, -1).validate())
                .hasMessage("Retries in Healthcheck cannot be negative");
        assertThat(Healthcheck.shell("x").validate()).isNotNull();
    }
}
