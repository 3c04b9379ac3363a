package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    @Test
    void parsesDockersSpellings() {
        assertThat(RestartPolicy.parse("no")).isEqualTo(new RestartPolicy.No());
        assertThat(RestartPolicy.parse("")).isEqualTo(new RestartPolicy.No());
        assertThat(RestartPolicy.parse("always")).isEqualTo(new RestartPolicy.Always());
        assertThat(RestartPolicy.parse("unless-stopped")).isEqualTo(new RestartPolicy.UnlessStopped());
        assertThat(RestartPolicy.parse("on-failure")).isEqualTo(new RestartPolicy.OnFailure(0));
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy.OnFailure(3));
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).hasMessageContaining("invalid restart policy \"sometimes\"");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:x")).hasMessageContaining("maximum retry count");
    }

    @Test
    void exitDecisions() {
        var onFailure2 = new RestartPolicy.OnFailure(2);
        assertThat(onFailure2.restartsAfterExit(1, 0, false, false)).isTrue();
        assertThat(onFailure2.restartsAfterExit(1, 2, false, false)).isFalse();
        assertThat(onFailure2.restartsAfterExit(0, 0, false, false)).isFalse();
        assertThat(new RestartPolicy.OnFailure(0).restartsAfterExit(1, 1000, false, false)).isTrue();
        assertThat(new RestartPolicy.Always().restartsAfterExit(0, 5, false, false)).isTrue();
        assertThat(new RestartPolicy.Always().restartsAfterExit(137, 0, true, false)).as("manual stop").isFalse();
        assertThat(new RestartPolicy.UnlessStopped().restartsAfterExit(0, 0, false, true)).as("daemon shutdown").isFalse();
        assertThat(new RestartPolicy.No().restartsAfterExit(1, 0, false, false)).isFalse();
    }

    @Test
    void daemonStartDecisions() {
        assertThat(new RestartPolicy.Always().restartsOnDaemonStart(0, 0, true)).isTrue();
        assertThat(new RestartPolicy.UnlessStopped().restartsOnDaemonStart(0, 0, true)).isFalse();
        assertThat(new RestartPolicy.UnlessStopped().restartsOnDaemonStart(0, 0, false)).isTrue();
        assertThat(new RestartPolicy.OnFailure(0).restartsOnDaemonStart(0, 0, false)).isFalse();
        assertThat(new RestartPolicy.OnFailure(0).restartsOnDaemonStart(3, 0, false)).isTrue();
        assertThat(new RestartPolicy.OnFailure(0).restartsOnDaemonStart(143, 0, true)).as("stopped by hand, exit 143").isTrue();
        assertThat(new RestartPolicy.OnFailure(2).restartsOnDaemonStart(1, 2, false)).as("count used up").isFalse();
    }

    @Test
    void backoffDoublesCapsAndResetsAfterAStableRun() {
        var b = new RestartPolicy.Backoff();
        Duration quick = Duration.ofSeconds(1);
        assertThat(b.delayAfter(quick)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delayAfter(quick)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delayAfter(quick)).isEqualTo(Duration.ofMillis(400));
        for (int i = 0; i < 20; i++) b.delayAfter(quick);
        assertThat(b.delayAfter(quick)).isEqualTo(Duration.ofMinutes(1));
        assertThat(b.delayAfter(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        b.delayAfter(quick);
        b.reset();
        assertThat(b.delayAfter(quick)).isEqualTo(Duration.ofMillis(100));
    }
}
