package io.jcompose.testsupport;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives the host back as a root test class found it, and names what the class left behind.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection (this jar's
 * {@code META-INF/services} entry; the parent pom turns auto-detection on for
 * {@code io.jcompose.testsupport.*} only), it acts on top-level classes tagged {@code root}
 * (directly or through a composed annotation), run as root. Before the class it takes a
 * {@link HostState}; after it (after the class's own {@code @AfterAll} and its other extensions):
 * <ol>
 *   <li>IP forwarding ({@link IpForward}) is set back to what it was — always, also when the class failed;
 *   <li>kernel objects that appeared during the class and are still there (after up to
 *       {@value #SETTLE_MILLIS} ms, for asynchronous removals) are listed, in two parts: those of
 *       the engines this JVM started ({@link OwnEngines}: named with their tags, or mounted under
 *       their data roots), and the rest, which on a host shared with other test runs may be theirs
 *       (netns and older untagged names carry no owner). The configuration parameter or system
 *       property {@code jcompose.hostguard.leaks} says what then happens:
 *       <ul>
 *         <li>{@code report} (default): both parts are printed (stderr and a report entry);
 *         <li>{@code fail-own}: the class fails when this JVM's engines left something; the rest
 *             is reported. Precise on a shared host;
 *         <li>{@code fail}: the class fails on anything left (a host that runs one test JVM at a
 *             time, as CI does).
 *       </ul>
 * </ol>
 */
public final class HostStateGuard implements BeforeAllCallback, AfterAllCallback {
    /** The configuration parameter (or system property) that makes leftovers fail the class. */
    public static final String LEAKS = "jcompose.hostguard.leaks";

    static final long SETTLE_MILLIS = 2000;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HostStateGuard.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (guards(context)) {
            context.getStore(NS).put(HostState.class, HostState.now());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        HostState before = context.getStore(NS).remove(HostState.class, HostState.class);
        if (before == null) {
            return;
        }
        boolean changed = !IpForward.restore(before.forwarding()).isEmpty();
        Set<String> left = leftovers(before);
        if (left.isEmpty()) {
            return;
        }
        OwnEngines own = OwnEngines.ofThisJvm();
        Set<String> ours = new TreeSet<>(), unknown = new TreeSet<>();
        for (String o : left) (own.owns(o) ? ours : unknown).add(o);
        String mode = context.getConfigurationParameter(LEAKS).orElse("report");
        String message = context.getRequiredTestClass().getName() + " left kernel objects behind (new since the class began, still there"
                + (changed ? "; IP forwarding was given back" : "") + "):"
                + (ours.isEmpty() ? "" : "\n  made by this JVM's engines (tags " + own.dataRoots().keySet() + "):\n    " + String.join("\n    ", ours))
                + (unknown.isEmpty() ? "" : "\n  not known to be this JVM's (another test run's on a shared host?):\n    " + String.join("\n    ", unknown));
        if (mode.equals("fail") || mode.equals("fail-own") && !ours.isEmpty()) {
            throw new AssertionError(message);
        }
        String reported = "HostStateGuard: " + message + "\n  (reported, not failed: -D" + LEAKS + "=fail-own fails on this JVM's engines' objects, "
                + LEAKS + "=fail on anything)";
        System.err.println(reported);
        context.publishReportEntry("host-leftovers", String.join(", ", left));
    }

    /** Top-level classes tagged root, when we are root (else the class cannot make kernel objects). */
    private static boolean guards(ExtensionContext context) {
        return context.getTags().contains("root")
                && context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty()
                && "root".equals(System.getProperty("user.name"));
    }

    /** New objects still there, given a short while to go (a daemon's auto-remove, a netns being unmounted). */
    private static Set<String> leftovers(HostState before) throws IOException, InterruptedException {
        Set<String> left = HostState.now().newSince(before);
        for (long waited = 0; !left.isEmpty() && waited < SETTLE_MILLIS; waited += 250) {
            Thread.sleep(250);
            left = HostState.now().newSince(before);
        }
        return left;
    }
}
