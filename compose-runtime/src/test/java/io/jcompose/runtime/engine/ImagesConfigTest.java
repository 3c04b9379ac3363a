package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.image.manifest.ImageConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Image inspect's {@code Config} as dockerd writes it. */
class ImagesConfigTest {

  private static HealthConfig health(String healthcheckJson) {
    String config = """
        {"architecture": "amd64", "os": "linux", "config": {"Healthcheck": %s},
         "rootfs": {"type": "layers", "diff_ids": []}}
        """.formatted(healthcheckJson);
    return Images.containerConfig(ImageConfig.parse(config.getBytes(StandardCharsets.UTF_8))).healthcheck();
  }

  @Test
  void unsetHealthcheckDurationsAndRetriesAreOmittedAsDockerdDoes() {
    HealthConfig h = health("{\"Test\": [\"CMD\", \"true\"]}");
    assertThat(h.test()).isEqualTo(List.of("CMD", "true"));
    assertThat(h.interval()).isNull();
    assertThat(h.timeout()).isNull();
    assertThat(h.startPeriod()).isNull();
    assertThat(h.startInterval()).isNull();
    assertThat(h.retries()).isNull();
  }

  @Test
  void setOnesAreKept() {
    HealthConfig h = health("{\"Test\": [\"CMD\", \"true\"], \"Interval\": 5000000000, \"Retries\": 3}");
    assertThat(h.interval()).isEqualTo(5_000_000_000L);
    assertThat(h.retries()).isEqualTo(3);
    assertThat(h.timeout()).isNull();
  }
}
