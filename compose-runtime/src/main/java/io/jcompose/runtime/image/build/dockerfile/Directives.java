package io.jcompose.runtime.image.build.dockerfile;

/**
 * Parser directives from the top of a Dockerfile ({@code # syntax=...}, {@code # escape=`}).
 *
 * @param syntax the requested frontend image, or null; recorded only (we are the frontend)
 * @param escape the escape character, {@code \} by default
 * @param check the {@code # check=} directive's value, or null; recorded only
 */
public record Directives(String syntax, char escape, String check) {
  /** No directives. */
  public static final Directives DEFAULT = new Directives(null, '\\', null);
}
