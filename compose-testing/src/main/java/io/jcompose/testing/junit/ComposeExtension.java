package io.jcompose.testing.junit;

import io.jcompose.testing.ComposeException;
import io.jcompose.testing.ComposeProject;
import io.jcompose.testing.ComposeStack;
import io.jcompose.testing.ServiceHandle;
import io.jcompose.testing.Wait;
import io.jcompose.testing.WaitStrategy;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * Brings up the stacks {@link Compose} asks for, takes them down after their scope (class or
 * method), and injects them ({@link ComposeStack}, {@link ComposeService}) into parameters.
 * Stacks of different test classes have different project names, so classes may run in parallel.
 */
public final class ComposeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ComposeExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<Compose> onClass = AnnotationSupport.findAnnotation(testClass, Compose.class);
        if (onClass.isPresent()) {
            stacks(context).add(up(onClass.get(), null, testClass.getName()));
        }
        for (Field f : fields(testClass, ModifierSupport::isStatic)) {
            upField(context, f, null);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Object instance = context.getRequiredTestInstance();
        for (Field f : fields(instance.getClass(), ModifierSupport::isNotStatic)) {
            upField(context, f, instance);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        downAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        downAll(context);
    }

    private static List<Field> fields(Class<?> testClass, Predicate<Field> which) {
        return AnnotationSupport.findAnnotatedFields(testClass, Compose.class, which, HierarchyTraversalMode.TOP_DOWN);
    }

    private static void upField(ExtensionContext context, Field f, Object instance) throws IllegalAccessException {
        Compose compose = f.getAnnotation(Compose.class);
        String where = f.getDeclaringClass().getName() + "." + f.getName();
        f.setAccessible(true);
        ComposeStack stack;
        if (f.getType() == ComposeProject.class) {
            if (!compose.value().isEmpty()) {
                throw new ExtensionConfigurationException("@Compose on " + where + ": a ComposeProject field names its file itself; leave value empty");
            }
            ComposeProject project = (ComposeProject) f.get(instance);
            if (project == null) {
                throw new ExtensionConfigurationException("@Compose on " + where + ": the ComposeProject field is null");
            }
            stack = up(project, compose, where);
        } else if (f.getType() == ComposeStack.class) {
            stack = up(compose, null, where);
            f.set(instance, stack);
        } else {
            throw new ExtensionConfigurationException("@Compose on " + where + ": the field must be a ComposeStack or a ComposeProject, not "
                    + f.getType().getSimpleName());
        }
        stacks(context).add(stack);
    }

    private static ComposeStack up(Compose compose, ComposeProject given, String where) {
        if (compose.value().isEmpty()) {
            throw new ExtensionConfigurationException("@Compose on " + where + " names no Compose file: @Compose(\"path/to/compose.yaml\")");
        }
        return up(configure(ComposeProject.from(Path.of(compose.value())), compose), compose, where);
    }

    private static ComposeStack up(ComposeProject project, Compose compose, String where) {
        try {
            return project.up();
        } catch (ComposeException e) {
            String file = compose.value().isEmpty() ? "" : "(\"" + compose.value() + "\")";
            throw new ComposeException("@Compose" + file + " on " + where + " did not come up: " + e.getMessage(), e);
        }
    }

    /** The annotation's settings on a project. */
    static ComposeProject configure(ComposeProject project, Compose compose) {
        if (!compose.projectName().isEmpty()) {
            project.withProjectName(compose.projectName());
        }
        for (String kv : compose.env()) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("@Compose env entry \"" + kv + "\" is not KEY=VALUE");
            }
            project.withEnv(kv.substring(0, eq), kv.substring(eq + 1));
        }
        project.withProfiles(compose.profiles());
        for (Compose.WaitFor w : compose.waitFor()) {
            project.waitingFor(w.service(), strategy(w));
        }
        return project.withStartupTimeout(Duration.ofSeconds(compose.startupTimeoutSeconds()));
    }

    /** The strategy a {@link Compose.WaitFor} describes. */
    static WaitStrategy strategy(Compose.WaitFor w) {
        Duration timeout = Duration.ofSeconds(w.timeoutSeconds());
        boolean log = !w.logLine().isEmpty();
        boolean http = !w.httpPath().isEmpty();
        if (log && (http || w.port() != 0)) {
            throw new ExtensionConfigurationException("@WaitFor(service = \"" + w.service() + "\"): set logLine, or port, or httpPath with port — not several");
        }
        if (log) {
            return Wait.forLogLine(w.logLine()).withTimeout(timeout);
        }
        if (w.port() == 0) {
            throw new ExtensionConfigurationException("@WaitFor(service = \"" + w.service() + "\"): set logLine, port, or httpPath with port");
        }
        return http ? Wait.forHttp(w.httpPath(), w.port()).withTimeout(timeout) : Wait.forPort(w.port()).withTimeout(timeout);
    }

    /**
     * The stacks of exactly this scope. Keyed by the scope's id because a store also answers with
     * its parents' values: a method must not see (and down) its class's stacks as its own.
     */
    @SuppressWarnings("unchecked")
    private static List<ComposeStack> stacks(ExtensionContext context) {
        return (List<ComposeStack>) context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(context.getUniqueId(), k -> new CopyOnWriteArrayList<ComposeStack>());
    }

    /** Downs the stacks of this scope, newest first; every one is tried even when one fails. */
    private static void downAll(ExtensionContext context) {
        List<ComposeStack> stacks = stacks(context);
        List<RuntimeException> failures = new ArrayList<>();
        for (ComposeStack s : stacks.reversed()) {
            try {
                s.down();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        stacks.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** The stack of the innermost scope that has one (method, then class, then enclosing classes). */
    private static Optional<ComposeStack> nearest(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Object stacks = c.get().getStore(NAMESPACE).get(c.get().getUniqueId());
            if (stacks instanceof List<?> list && !list.isEmpty()) {
                return Optional.of((ComposeStack) list.getFirst());
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ComposeStack.class) {
            return true;
        }
        return parameter.isAnnotated(ComposeService.class)
                && (type == ServiceHandle.class || type == InetSocketAddress.class || type == URI.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        ComposeStack stack = nearest(extension).orElseThrow(() -> new ParameterResolutionException(
                "no @Compose stack is up for " + parameter.getDeclaringExecutable() + ": annotate the class or a field with @Compose"));
        Class<?> type = parameter.getParameter().getType();
        if (type == ComposeStack.class) {
            return stack;
        }
        ComposeService s = parameter.findAnnotation(ComposeService.class).orElseThrow();
        ServiceHandle handle;
        try {
            handle = stack.service(s.value());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        if (type == ServiceHandle.class) {
            return handle;
        }
        if (s.port() == 0) {
            throw new ParameterResolutionException("@ComposeService(\"" + s.value() + "\") on a " + type.getSimpleName()
                    + " parameter needs the container port: @ComposeService(value = \"" + s.value() + "\", port = ...)");
        }
        int published;
        try {
            published = handle.port(s.port());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        return type == URI.class ? URI.create("http://" + handle.host() + ":" + published)
                : new InetSocketAddress(handle.host(), published);
    }
}
