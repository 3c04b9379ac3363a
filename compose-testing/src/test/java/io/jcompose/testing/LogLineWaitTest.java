package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.testing.support.RealEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Wait#forLogLine} follows the container's output: a line printed after the wait began
 * makes the service ready, and a container that exits while the wait follows it is reported at
 * once with its exit code (not at the timeout).
 */
@RealEngine
class LogLineWaitTest {
    @TempDir
    Path dir;

    private Path compose(String shell) throws IOException {
        return Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  late:
                    image: busybox:latest
                    command: ["sh", "-c", "%s"]
                """.formatted(shell));
    }

    @Test
    void aLinePrintedLaterMakesTheServiceReady() throws IOException {
        ComposeProject project = ComposeProject.from(compose("echo starting; sleep 2; echo ready now; exec sleep 3600"))
                .waitingFor("late", Wait.forLogLine("^ready now$").withTimeout(Duration.ofSeconds(60)))
                .withStopTimeout(0);
        try (ComposeStack stack = project.up()) {
            assertThat(stack.service("late").logs()).contains("starting\n", "ready now\n");
        }
    }

    @Test
    void aContainerThatExitsWhileFollowedFailsAtOnce() throws IOException {
        ComposeProject project = ComposeProject.from(compose("echo starting; sleep 3; echo giving up; exit 4"))
                .waitingFor("late", Wait.forLogLine("never printed").withTimeout(Duration.ofMinutes(5)));
        long start = System.nanoTime();
        ServiceNotReadyException e = catchThrowableOfType(ServiceNotReadyException.class, project::up);

        assertThat(e.service()).isEqualTo("late");
        assertThat(e.reason()).isEqualTo("container exited with code 4 while waiting for a log line matching \"never printed\"");
        assertThat(e.lastLogLines()).containsExactly("starting", "giving up");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("reported on the exit, not at the 5 min timeout")
                .isLessThan(Duration.ofMinutes(4));
    }
}
