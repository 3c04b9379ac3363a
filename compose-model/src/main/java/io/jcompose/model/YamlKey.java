package io.jcompose.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Compose key of a record component, where it is not the component name in snake_case
 * (for example {@code domainname}). Used by the binder and the printer, so the key of a field is
 * written down once.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD})
public @interface YamlKey {
  /** the key as written in a Compose file */
  String value();
}
