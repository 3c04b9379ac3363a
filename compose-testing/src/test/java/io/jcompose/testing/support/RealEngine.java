package io.jcompose.testing.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class that runs stacks on a real, private engine: tagged root + registry, skipped with a reason elsewhere. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@Tag("registry")
@ExtendWith(RequiresEngine.class)
public @interface RealEngine {}
