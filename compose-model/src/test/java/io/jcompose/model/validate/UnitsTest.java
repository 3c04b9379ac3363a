package io.jcompose.model.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void goDurations() {
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse("1h2m3s4ms5us6ns")).isEqualTo(Duration.ofHours(1).plusMinutes(2).plusSeconds(3).plusNanos(4_005_006));
    assertThat(GoDuration.parse("0")).isZero();
    for (String bad : new String[] {"10", "", "1x", "s", "1m30"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofNanos(1500))).isEqualTo("1.5µs");
  }

  @Test
  void byteSizes() {
    assertThat(ByteSize.parse("1g")).isEqualTo(1L << 30);
    assertThat(ByteSize.parse("512M")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("64mb")).isEqualTo(64L << 20);
    assertThat(ByteSize.parse("1024")).isEqualTo(1024);
    assertThat(ByteSize.parse("1.5k")).isEqualTo(1536);
    assertThatThrownBy(() -> ByteSize.parse("lots")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void goIntegersAndFloats() {
    assertThat(Binder.parseGoInt("0755")).isEqualTo(493);
    assertThat(Binder.parseGoInt("0o17")).isEqualTo(15);
    assertThat(Binder.parseGoInt("0x1F")).isEqualTo(31);
    assertThat(Binder.parseGoInt("-12")).isEqualTo(-12);
    assertThat(GoFormat.floatString(1.0)).isEqualTo("1");
    assertThat(GoFormat.floatString(0.5)).isEqualTo("0.5");
    assertThat(GoFormat.float32String(0.1)).isEqualTo("0.1");
  }
}
