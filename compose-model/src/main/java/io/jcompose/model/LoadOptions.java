package io.jcompose.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What {@code docker compose} reads from its command line and environment to find and load a
 * project. Build one with {@link #defaults()} and the {@code with*} methods.
 *
 * @param files {@code -f} values in order ({@code -} reads stdin); empty: {@code COMPOSE_FILE} or
 *     the default file names
 * @param projectDirectory {@code --project-directory}, or {@code null}
 * @param projectName {@code -p}, or {@code null}
 * @param envFiles {@code --env-file} values; empty: {@code .env} in the project directory
 * @param profiles {@code --profile} values; empty: {@code COMPOSE_PROFILES}
 * @param environment the shell environment (wins over {@code .env})
 * @param currentDirectory the directory relative paths on the command line start from
 * @param interpolate {@code false} for {@code --no-interpolate}
 * @param stdin the content of standard input, read when a file is {@code -}
 * @param warnings receives Compose's warnings (unset variables, obsolete {@code version}), one
 *     message each, without a prefix; the caller prints them
 */
public record LoadOptions(
    List<String> files,
    String projectDirectory,
    String projectName,
    List<String> envFiles,
    List<String> profiles,
    Map<String, String> environment,
    Path currentDirectory,
    boolean interpolate,
    Supplier<String> stdin,
    Consumer<String> warnings) {

  public LoadOptions {
    files = List.copyOf(files);
    envFiles = List.copyOf(envFiles);
    profiles = List.copyOf(profiles);
    environment = Map.copyOf(environment);
    currentDirectory = currentDirectory.toAbsolutePath().normalize();
    java.util.Objects.requireNonNull(warnings, "warnings");
  }

  /** Options as for a plain {@code docker compose config} in the JVM's current directory. */
  public static LoadOptions defaults() {
    return new LoadOptions(
        List.of(), null, null, List.of(), List.of(), System.getenv(), Path.of(System.getProperty("user.dir")), true, LoadOptions::readStdin, w -> {});
  }

  private static String readStdin() {
    try {
      return new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new ComposeFileException("cannot read the Compose file from stdin: " + e.getMessage(), e);
    }
  }

  /** With {@code -f} files. */
  public LoadOptions withFiles(List<String> f) {
    return new LoadOptions(f, projectDirectory, projectName, envFiles, profiles, environment, currentDirectory, interpolate, stdin, warnings);
  }

  /** With {@code --project-directory}. */
  public LoadOptions withProjectDirectory(String dir) {
    return new LoadOptions(files, dir, projectName, envFiles, profiles, environment, currentDirectory, interpolate, stdin, warnings);
  }

  /** With {@code -p}. */
  public LoadOptions withProjectName(String name) {
    return new LoadOptions(files, projectDirectory, name, envFiles, profiles, environment, currentDirectory, interpolate, stdin, warnings);
  }

  /** With {@code --env-file} values. */
  public LoadOptions withEnvFiles(List<String> f) {
    return new LoadOptions(files, projectDirectory, projectName, f, profiles, environment, currentDirectory, interpolate, stdin, warnings);
  }

  /** With {@code --profile} values. */
  public LoadOptions withProfiles(List<String> p) {
    return new LoadOptions(files, projectDirectory, projectName, envFiles, p, environment, currentDirectory, interpolate, stdin, warnings);
  }

  /** With another shell environment. */
  public LoadOptions withEnvironment(Map<String, String> env) {
    return new LoadOptions(files, projectDirectory, projectName, envFiles, profiles, env, currentDirectory, interpolate, stdin, warnings);
  }

  /** With another current directory. */
  public LoadOptions withCurrentDirectory(Path dir) {
    return new LoadOptions(files, projectDirectory, projectName, envFiles, profiles, environment, dir, interpolate, stdin, warnings);
  }

  /** With or without interpolation. */
  public LoadOptions withInterpolation(boolean on) {
    return new LoadOptions(files, projectDirectory, projectName, envFiles, profiles, environment, currentDirectory, on, stdin, warnings);
  }

  /** With a given standard input content. */
  public LoadOptions withStdin(Supplier<String> in) {
    return new LoadOptions(files, projectDirectory, projectName, envFiles, profiles, environment, currentDirectory, interpolate, in, warnings);
  }

  /** With a receiver for Compose's warnings (the default drops them). */
  public LoadOptions withWarnings(Consumer<String> w) {
    return new LoadOptions(files, projectDirectory, projectName, envFiles, profiles, environment, currentDirectory, interpolate, stdin, w);
  }
}
