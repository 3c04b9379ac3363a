package io.jcompose.runtime.api.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Test backends: every method of a backend interface fails with {@link UnsupportedOperationException}
 * (naming the method) except those a test gives, so a route test writes only what it calls.
 */
final class Unsupported {
    private Unsupported() {}

    /**
     * A backend whose every abstract method fails.
     *
     * @param type the backend interface
     * @return the backend
     */
    static <T> T backend(Class<T> type) {
        return except(type, new Object());
    }

    /**
     * A backend answering with the public methods of {@code overrides} (same name and parameter
     * types as the interface's), failing elsewhere; default methods not overridden keep their body.
     *
     * @param type the backend interface
     * @param overrides an object (usually {@code new Object() { public ... }}) with the methods the test needs
     * @return the backend
     * @throws IllegalArgumentException when a public method of {@code overrides} matches none of {@code type}
     *     (a typo would otherwise leave the interface's method failing)
     */
    static <T> T except(Class<T> type, Object overrides) {
        Map<Method, Method> given = new HashMap<>();
        Class<?> overridden = overrides.getClass();
        for (Method m : overridden == Object.class ? new Method[0] : overridden.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
                continue;
            }
            try {
                given.put(type.getMethod(m.getName(), m.getParameterTypes()), m);
                m.setAccessible(true); // an anonymous class is not public
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(m + " matches no method of " + type.getSimpleName());
            }
        }
        InvocationHandler handler = (proxy, method, args) -> {
            Method m = given.get(method);
            if (m != null) {
                try {
                    return m.invoke(overrides, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "Unsupported " + type.getSimpleName() + Arrays.toString(given.keySet().stream().map(Method::getName).toArray());
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
