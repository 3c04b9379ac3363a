package io.jcompose.runtime.image.build.executor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parts of a build step's network that need no kernel (the rest: RunStepTest, BuildNetworksTest). */
class StepNetworkTest {
  @Test
  void resolvConfLosesLoopbackNameserversLikeDockersCopy() {
    assertThat(StepNetwork.withoutLoopbackNameservers(
        "# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\nsearch example.test\noptions edns0\n"))
        .isEqualTo("# generated\nnameserver 10.0.0.2\nsearch example.test\noptions edns0\n");
  }
}
