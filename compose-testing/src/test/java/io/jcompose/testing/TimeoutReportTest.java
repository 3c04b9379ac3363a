package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.jcompose.runtime.api.Filters;
import io.jcompose.testing.junit.Compose;
import io.jcompose.testing.support.PrivateEngine;
import io.jcompose.testing.support.RealEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A wait that times out fails with the service, the reason and its last 20 log lines, through the
 * API and through the extension, and the half-started stack is gone afterwards; a service that
 * exits during {@code --wait} is reported the same way.
 */
@RealEngine
class TimeoutReportTest {
    private static final Path CHATTY = Path.of("src", "test", "compose", "chatty");

    @Test
    void theApiReportsTheLast20LogLinesAndTakesTheStackDown() {
        ComposeProject project = ComposeProject.from(CHATTY).withProjectName("chatty-" + ComposeSession.newId().substring(4, 10))
                .waitingFor("talker", Wait.forLogLine("never printed").withTimeout(Duration.ofSeconds(4)));
        ServiceNotReadyException e = catchThrowableOfType(ServiceNotReadyException.class, project::up);

        assertThat(e.service()).isEqualTo("talker");
        assertThat(e.reason()).isEqualTo("timed out after 4s waiting for a log line matching \"never printed\"");
        List<String> expected = IntStream.rangeClosed(11, 30).mapToObj(i -> "chatty line " + i).toList();
        assertThat(e.lastLogLines()).containsExactlyElementsOf(expected);
        assertThat(e.getMessage()).startsWith("service \"talker\" did not become ready: timed out after 4s")
                .contains("last 20 log lines of ", "  | chatty line 11\n", "  | chatty line 30")
                .doesNotContain("chatty line 10\n");

        var left = PrivateEngine.get().client().listContainers(true,
                new Filters(Map.of("label", Set.of("com.docker.compose.project=" + project.load().name()))));
        assertThat(left).as("the failed stack was taken down").isEmpty();
    }

    @Test
    void aServiceThatExitsDuringTheWaitIsReportedWithItsOutput() {
        ComposeProject project = ComposeProject.from(Path.of("src", "test", "compose", "crashing"));
        try (ComposeStack stack = project.up()) {
            throw new AssertionError("up should have failed, but " + stack.projectName() + " is up");
        } catch (ServiceNotReadyException e) {
            assertThat(e.service()).isEqualTo("crasher");
            assertThat(e.reason()).matches("container crashing-[0-9a-f]{6}-crasher-1 exited \\(3\\)");
            assertThat(e.lastLogLines()).containsExactly("boom: no config found");
        }
    }

    @Compose(value = "src/test/compose/chatty", waitFor = @Compose.WaitFor(service = "talker", logLine = "never printed", timeoutSeconds = 3))
    static final class WaitsInVain {
        @Test
        void neverRuns() {
            throw new AssertionError("the stack should not have come up");
        }
    }

    @Test
    void theExtensionFailsTheClassWithTheSameReport() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(WaitsInVain.class)).execute().containerEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m -> m.startsWith(
                        "@Compose(\"src/test/compose/chatty\") on " + WaitsInVain.class.getName() + " did not come up: service \"talker\"")
                        && m.contains("timed out after 3s") && m.contains("  | chatty line 30")))));
    }
}
