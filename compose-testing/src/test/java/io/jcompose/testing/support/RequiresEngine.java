package io.jcompose.testing.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the class, with the reason, unless a real engine can run here (root, fixture registry,
 * built shim); else points the API at this JVM's {@link PrivateEngine}. Declared before
 * {@code @Compose} so that it runs first.
 */
public final class RequiresEngine implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: namespaces, cgroups, bridges");
        Assumptions.assumeTrue(PrivateEngine.registryAnswers(),
                "the fixture registry does not answer on " + PrivateEngine.MIRROR + ": run fixtures/registry up");
        String shim = System.getenv("JCOMPOSE_SHIM");
        Assumptions.assumeTrue(shim != null && Files.isExecutable(Path.of(shim)),
                "JCOMPOSE_SHIM (set by compose-testing/pom.xml) names no executable jcompose-shim: build compose-runtime first (" + shim + ")");
        PrivateEngine.get();
    }
}
