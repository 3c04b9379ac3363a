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
    void failOwnModeFailsOnlyOnWhatThisJvmsEnginesLeft(@org.junit.jupiter.api.io.TempDir Path dataRoot) throws Exception {
        // an engine of this JVM, as HostTags records it: a tag no engine on this host has claimed
        String free;
        do free = String.format("%05x", ThreadLocalRandom.current().nextInt(0x100000)); while (Files.exists(OwnEngines.REGISTRY.resolve(free)));
        String tag = free;
        Path record = OwnEngines.REGISTRY.resolve(tag);
        String ownLink = "jc" + tag + "-guard00";
        Files.createDirectories(OwnEngines.REGISTRY);
        Files.writeString(record, dataRoot + "\npids " + ProcessHandle.current().pid() + "\n");
        try {
            EngineExecutionResults onlyOthers = runLeaky("fail-own", null);
            assertThat(onlyOthers.containerEvents().failed().count()).as("an untagged link may be another run's").isZero();
            run("ip", "link", "del", LINK);

            EngineExecutionResults both = runLeaky("fail-own", ownLink);
            both.containerEvents().failed().assertThatEvents().singleElement().satisfies(e -> assertThat(
                    e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                    .hasMessageContaining("made by this JVM's engines (tags [" + tag + "]):\n    link " + ownLink)
                    .hasMessageContaining("not known to be this JVM's (another test run's on a shared host?):\n")
                    .hasMessageContaining("    link " + LINK)); // among other runs' objects, on a shared host
        } finally {
            run("ip", "link", "del", ownLink);
            Files.deleteIfExists(record);
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

        // the switch the class turned on (the IPv6 ones are another run's to change on a shared host)
        assertThat(IpForward.read().get(IpForward.IPV4)).isEqualTo(ipForwardBefore.get(IpForward.IPV4));
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
        return runLeaky(mode, null);
    }

    /** @param ownLink a second link the class leaves, or null */
    private static EngineExecutionResults runLeaky(String mode, String ownLink) {
        System.setProperty(Leaky.RUN, "true");
        if (ownLink != null) System.setProperty(Leaky.OWN_LINK, ownLink);
        try {
            return EngineTestKit.engine("junit-jupiter")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .configurationParameter("junit.jupiter.extensions.autodetection.include", "io.jcompose.testsupport.*")
                    .configurationParameter(HostStateGuard.LEAKS, mode)
                    .selectors(selectClass(Leaky.class)).execute();
        } finally {
            System.clearProperty(Leaky.RUN);
            System.clearProperty(Leaky.OWN_LINK);
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
        /** A tagged link to leave too (one of "this JVM's engines'"). */
        static final String OWN_LINK = "jcompose.hostguardtest.ownlink";

        @Test
        void turnsForwardingOnAndLeavesALink() throws Exception {
            Assumptions.assumeTrue(Boolean.getBoolean(RUN), "run only by HostStateGuardTest, which removes what it leaves");
            Files.writeString(IpForward.IPV4, "1\n");
            assertThat(run("ip", "link", "add", LINK, "type", "bridge")).isEmpty();
            String own = System.getProperty(OWN_LINK);
            if (own != null) assertThat(run("ip", "link", "add", own, "type", "bridge")).isEmpty();
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
