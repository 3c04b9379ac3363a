package io.jcompose.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The guard on a real host: a root class that turns IP forwarding on and leaves a bridge
 * behind, run through the JUnit engine with the guard auto-detected as in the build.
 */
@Tag("root")
@ExtendWith(HostStateGuardTest.BuildConfiguration.class)
class HostStateGuardTest {
    /** The link the inner class leaves behind; unique per run, removed by the outer test. */
    static final String LINK = "jcgt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

    java.util.Map<Path, String> ipForwardBefore;

    @BeforeEach
    void rootOnly() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: makes a link, writes ip_forward");
        ipForwardBefore = IpForward.read();
    }

    @AfterEach
    void removeLink() throws Exception {
        if (ipForwardBefore != null) {
            run("ip", "link", "del", LINK);
            IpForward.restore(ipForwardBefore);
        }
    }

    @Test
    void theBuildTurnsOnAutoDetectionOfTheGuardOnly() {
        assertThat(BuildConfiguration.enabled).as("junit.jupiter.extensions.autodetection.enabled (parent pom, surefire)").isEqualTo("true");
        assertThat(BuildConfiguration.include).as("junit.jupiter.extensions.autodetection.include").isEqualTo("io.jcompose.testsupport.*");
    }

    @Test
    void ipForwardingIsGivenBackAfterTheClass() throws Exception {
        Assumptions.assumeTrue("0".equals(ipForwardBefore.get(IpForward.IPV4)), "ip_forward is already 1 on this host (another run's engine): nothing to give back");
        runLeaky("report");

        assertThat(IpForward.read()).as("ip_forward after the class").isEqualTo(ipForwardBefore);
    }

    @Test
    void failModeFailsTheClassNamingWhatItLeft() {
        EngineExecutionResults results = runLeaky("fail");

        results.containerEvents().failed().assertThatEvents().singleElement().satisfies(e -> assertThat(
                e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(Leaky.class.getName() + " left kernel objects behind")
                .hasMessageContaining("link " + LINK));
    }

    @Test
    void reportModePrintsAndPasses() throws Exception {
        EngineExecutionResults results = runLeaky("report");

        assertThat(IpForward.read()).isEqualTo(ipForwardBefore);
        assertThat(results.containerEvents().failed().count()).isZero();
        assertThat(results.allEvents().reportingEntryPublished().stream()
                .flatMap(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs().values().stream()))
                .anySatisfy(v -> assertThat(v).contains("link " + LINK));
    }

    @Test
    void aClassWithoutTheRootTagIsNotGuarded() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameter("junit.jupiter.extensions.autodetection.include", "io.jcompose.testsupport.*")
                .configurationParameter(HostStateGuard.LEAKS, "fail")
                .selectors(selectClass(Untagged.class)).execute();

        assertThat(results.containerEvents().failed().count()).isZero();
    }

    private static EngineExecutionResults runLeaky(String mode) {
        System.setProperty(Leaky.RUN, "true");
        try {
            return EngineTestKit.engine("junit-jupiter")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .configurationParameter("junit.jupiter.extensions.autodetection.include", "io.jcompose.testsupport.*")
                    .configurationParameter(HostStateGuard.LEAKS, mode)
                    .selectors(selectClass(Leaky.class)).execute();
        } finally {
            System.clearProperty(Leaky.RUN);
        }
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** What the build (surefire's configuration parameters) told JUnit, seen by an extension of this class. */
    static final class BuildConfiguration implements BeforeAllCallback {
        static String enabled;
        static String include;

        @Override
        public void beforeAll(ExtensionContext context) {
            enabled = context.getConfigurationParameter("junit.jupiter.extensions.autodetection.enabled").orElse(null);
            include = context.getConfigurationParameter("junit.jupiter.extensions.autodetection.include").orElse(null);
        }
    }

    /** Run only through the engine kit above (not selected by the build: a nested class of a test). */
    @Tag("root")
    static class Leaky {
        /** Set while the outer test runs it, which removes the link afterwards (a -Dtest pattern may select this class too). */
        static final String RUN = "jcompose.hostguardtest.leaky";

        @Test
        void turnsForwardingOnAndLeavesALink() throws Exception {
            Assumptions.assumeTrue(Boolean.getBoolean(RUN), "run only by HostStateGuardTest, which removes what it leaves");
            Files.writeString(IpForward.IPV4, "1\n");
            assertThat(run("ip", "link", "add", LINK, "type", "bridge")).isEmpty();
        }
    }

    /** The same, without the tag: no guard, so it does not fail (it makes nothing). */
    static class Untagged {
        @Test
        void nothing() {
            assertThat(LINK).startsWith("jcgt");
        }
    }
}
