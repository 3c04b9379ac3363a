package io.jcompose.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Compose stack for a test class or test method, brought up by {@link ComposeExtension}
 * ({@link io.jcompose.testing.ComposeProject#up()}) and taken down after it.
 *
 * <ul>
 *   <li>On a test class: one stack for all tests of the class (up before {@code @BeforeAll}
 *       methods, down after {@code @AfterAll}).</li>
 *   <li>On a {@code static} field of type {@link io.jcompose.testing.ComposeStack}: the same,
 *       and the field is set.</li>
 *   <li>On an instance field of type {@code ComposeStack}: a new stack for every test method.</li>
 *   <li>On a field of type {@link io.jcompose.testing.ComposeProject} (no {@link #value()}): the
 *       project the field holds is brought up, for the programmatic settings (waits, engine...);
 *       the annotation's other attributes do not apply to it.</li>
 * </ul>
 * Test methods and lifecycle methods get the stack, or one service, as parameters:
 * {@code ComposeStack stack}, {@code @ComposeService("web") ServiceHandle web}. A stack that does
 * not come up fails the tests with the service that failed, why, and its last log lines.
 */
@Target({ElementType.TYPE, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ComposeExtension.class)
public @interface Compose {
    /** The Compose file or its folder, relative to the working directory (a module's folder under Maven). */
    String value() default "";

    /** A fixed project name; empty for a unique one per stack. */
    String projectName() default "";

    /** Interpolation variables, {@code KEY=VALUE} each. */
    String[] env() default {};

    /** Profiles to enable. */
    String[] profiles() default {};

    /** Per-service readiness checks beyond health checks. */
    WaitFor[] waitFor() default {};

    /** Seconds {@code up} waits for running/healthy containers. */
    int startupTimeoutSeconds() default 120;

    /**
     * One readiness check: set exactly one of {@link #logLine()}, {@link #port()} alone, or
     * {@link #httpPath()} with {@link #port()}.
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface WaitFor {
        /** The service. */
        String service();

        /** A regular expression a line of the service's output must contain. */
        String logLine() default "";

        /** A container port that must accept connections (or, with {@link #httpPath()}, answer HTTP 2xx). */
        int port() default 0;

        /** An HTTP path that must answer 2xx on {@link #port()}. */
        String httpPath() default "";

        /** Seconds to wait at most. */
        int timeoutSeconds() default 60;
    }
}
