package io.jcompose.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.jcompose.testing.ComposeException;
import io.jcompose.testing.ComposeStack;
import io.jcompose.testing.Wait;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The extension's configuration and failure reports, without an engine (failures come before any engine call). */
class ComposeExtensionTest {

    @Compose(value = "x", waitFor = {
        @Compose.WaitFor(service = "db", logLine = "ready for connections", timeoutSeconds = 30),
        @Compose.WaitFor(service = "web", port = 8000, httpPath = "/health"),
        @Compose.WaitFor(service = "cache", port = 6379),
        @Compose.WaitFor(service = "bad1", logLine = "x", port = 1),
        @Compose.WaitFor(service = "bad2")})
    static final class Waits {}

    @Test
    void waitForAnnotationsBecomeStrategies() {
        Compose.WaitFor[] w = Waits.class.getAnnotation(Compose.class).waitFor();
        assertThat(ComposeExtension.strategy(w[0]).describe()).isEqualTo("a log line matching \"ready for connections\"");
        assertThat(ComposeExtension.strategy(w[0]).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ComposeExtension.strategy(w[1])).isEqualTo(Wait.forHttp("/health", 8000).withTimeout(Duration.ofSeconds(60)));
        assertThat(ComposeExtension.strategy(w[2])).isEqualTo(Wait.forPort(6379));
        assertThatThrownBy(() -> ComposeExtension.strategy(w[3])).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("not several");
        assertThatThrownBy(() -> ComposeExtension.strategy(w[4])).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@WaitFor(service = \"bad2\")");
    }

    @Compose("src/test/compose/no-such-folder")
    static final class MissingFile {
        @Test
        void neverRuns(ComposeStack stack) {
            throw new AssertionError("the class should have failed before " + stack);
        }
    }

    @Test
    void aStackThatCannotBeLoadedFailsTheClassNamingFileAndClass() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(MissingFile.class)).execute().containerEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ComposeException.class),
                        message(m -> m.startsWith("@Compose(\"src/test/compose/no-such-folder\") on " + MissingFile.class.getName()
                                + " did not come up: ")))));
    }

    @ExtendWith(ComposeExtension.class)
    static final class NoStack {
        @Test
        void wantsOne(@ComposeService("web") io.jcompose.testing.ServiceHandle web) {
            throw new AssertionError("resolved " + web);
        }
    }

    @Test
    void aParameterWithoutAStackSaysWhatToAnnotate() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(NoStack.class)).execute().testEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("no @Compose stack is up") && m.contains("annotate the class or a field with @Compose")))));
    }

    static final class WrongField {
        @Compose("src/test/compose/redis") String stack;

        @Test
        void neverRuns() {
            throw new AssertionError("field " + stack);
        }
    }

    @Test
    void aFieldOfAnotherTypeIsAConfigurationError() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(WrongField.class)).execute().testEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("must be a ComposeStack or a ComposeProject, not String")))));
    }
}
