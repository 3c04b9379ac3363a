package io.jcompose.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects one service of the nearest {@link Compose} stack into a test or lifecycle method:
 * <ul>
 *   <li>{@code @ComposeService("db") ServiceHandle db} — the service's first container;</li>
 *   <li>{@code @ComposeService(value = "web", port = 8000) InetSocketAddress web} — where the
 *       container port is published on this host;</li>
 *   <li>{@code @ComposeService(value = "web", port = 8000) URI web} — {@code http://host:port}
 *       of that published port.</li>
 * </ul>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ComposeService {
    /** The service name. */
    String value();

    /** The container port, for endpoint parameters. */
    int port() default 0;
}
