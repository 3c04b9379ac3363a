package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
    @Test
    void baseThenImageThenRequestInPlace() {
        List<String> env = Environment.merge("abc123def456", false,
                List.of("PATH=/opt/bin:/usr/bin", "LANG=C.UTF-8", "A=image"), List.of("A=user", "B=2"));
        assertThat(env).containsExactly("PATH=/opt/bin:/usr/bin", "HOSTNAME=abc123def456", "LANG=C.UTF-8", "A=user", "B=2");
    }

    @Test
    void termOnlyWithTtyAndBareKeyDeletes() {
        assertThat(Environment.merge("h", true, List.of(), List.of())).containsExactly(
                "PATH=" + Environment.DEFAULT_PATH, "HOSTNAME=h", "TERM=xterm");
        assertThat(Environment.merge("h", true, List.of("X=1"), List.of("TERM", "X"))).containsExactly(
                "PATH=" + Environment.DEFAULT_PATH, "HOSTNAME=h");
    }

    @Test
    void valueMayContainEquals() {
        assertThat(Environment.merge("h", false, null, List.of("OPTS=a=b=c"))).contains("OPTS=a=b=c");
    }
}
