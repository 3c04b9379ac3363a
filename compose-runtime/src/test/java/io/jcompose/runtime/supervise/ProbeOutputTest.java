package io.jcompose.runtime.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeOutputTest {

    @Test
    void keepsTheFirst4096BytesThenDots() {
        var out = new ProbeOutput();
        byte[] a = "a".repeat(4000).getBytes(StandardCharsets.UTF_8);
        out.write(a, 0, a.length);
        assertThat(out.toString()).hasSize(4000).doesNotEndWith("...");
        byte[] b = "b".repeat(200).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        assertThat(out.toString()).hasSize(4096 + 3).endsWith("b...").contains("a".repeat(4000) + "b".repeat(96) + "...");
    }

    @Test
    void timeoutMessageLikeMoby() {
        assertThat(ProbeOutput.timedOut(Duration.ofSeconds(1), "")).isEqualTo(new ProbeRunner.Result(-1, "Health check exceeded timeout (1s)"));
        assertThat(ProbeOutput.timedOut(Duration.ofMillis(1500), "partial\n").output())
                .isEqualTo("Health check exceeded timeout (1.5s): partial\n");
    }

    @Test
    void goDurationText() {
        assertThat(ProbeOutput.goDuration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(ProbeOutput.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(ProbeOutput.goDuration(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(ProbeOutput.goDuration(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(ProbeOutput.goDuration(Duration.ofMillis(60_500))).isEqualTo("1m0.5s");
        assertThat(ProbeOutput.goDuration(Duration.ofNanos(1500))).isEqualTo("1.5µs");
        assertThat(ProbeOutput.goDuration(Duration.ZERO)).isEqualTo("0s");
    }
}
