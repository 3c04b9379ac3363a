package io.jcompose.model.load;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.LoadOptions;
import io.jcompose.model.interpolate.DotEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a project's Compose files, directory and environment as {@code docker compose} does:
 * {@code -f} (repeatable, {@code -} for stdin), else {@code COMPOSE_FILE}, else
 * {@code compose.yaml}/{@code compose.yml}/{@code docker-compose.yml}/{@code docker-compose.yaml}
 * in the current directory or its parents plus the first {@code compose.override.*}; the project
 * directory is {@code --project-directory} or the first file's directory; the environment is the
 * shell plus, for variables the shell does not set, {@code --env-file} files or {@code .env}.
 *
 * @param configFiles the files, in order, with their content
 * @param workingDir the absolute project directory
 * @param environment the environment for interpolation
 * @param profiles the active profiles ({@code --profile} or {@code COMPOSE_PROFILES})
 */
public record ProjectFiles(List<ConfigFile> configFiles, Path workingDir, Map<String, String> environment, List<String> profiles) {
  /** The default file names, in the order Compose prefers them. */
  public static final List<String> DEFAULT_FILE_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");
  /** The default override file names, in the order Compose prefers them. */
  public static final List<String> DEFAULT_OVERRIDE_FILE_NAMES =
      List.of("compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml");

  /**
   * One Compose file.
   *
   * @param path absolute path, or {@code -}
   * @param displayName the name used in messages
   * @param content the text
   */
  public record ConfigFile(String path, String displayName, String content) {}

  /** Resolves files, directory, environment and profiles from the options. */
  public static ProjectFiles resolve(LoadOptions o) {
    Path cwd = o.currentDirectory();
    Path projectDir = o.projectDirectory() == null || o.projectDirectory().isEmpty() ? null : cwd.resolve(o.projectDirectory()).normalize();
    Map<String, String> env = new LinkedHashMap<>(o.environment());

    // first round of .env: before the files are known (as Compose does), from the project dir or cwd
    List<String> paths = new ArrayList<>(o.files());
    Path firstDir = projectDir != null ? projectDir : firstFileDir(paths, cwd);
    addDotEnv(env, o, firstDir != null ? firstDir : cwd, cwd);

    if (paths.isEmpty()) {
      String composeFile = env.get("COMPOSE_FILE");
      if (composeFile != null && !composeFile.isEmpty()) {
        String sep = env.getOrDefault("COMPOSE_PATH_SEPARATOR", ":");
        if (sep.isEmpty()) {
          sep = ":";
        }
        for (String f : composeFile.split(java.util.regex.Pattern.quote(sep))) {
          if (!f.isEmpty()) {
            paths.add(f);
          }
        }
      }
    }
    if (paths.isEmpty()) {
      paths.addAll(defaultFiles(projectDir != null ? projectDir : cwd));
      if (paths.isEmpty()) {
        throw new ComposeFileException(
            "no configuration file provided: not found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml in "
                + (projectDir != null ? projectDir : cwd) + " and its parents)");
      }
    }
    List<ConfigFile> files = new ArrayList<>();
    for (String p : paths) {
      if (p.equals("-")) {
        files.add(new ConfigFile("-", "-", o.stdin().get()));
        continue;
      }
      Path abs = cwd.resolve(p).normalize();
      if (!Files.exists(abs)) {
        throw new ComposeFileException(p + ": no such file or directory");
      }
      if (Files.isDirectory(abs)) {
        throw new ComposeFileException(p + ": is a directory, not a Compose file");
      }
      try {
        files.add(new ConfigFile(abs.toString(), display(p, abs, cwd), Files.readString(abs, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new ComposeFileException(p + ": cannot read: " + e.getMessage(), e);
      }
    }
    Path workingDir = projectDir != null ? projectDir : firstFileDir(paths, cwd);
    if (workingDir == null) {
      workingDir = cwd;
    }
    addDotEnv(env, o, workingDir, cwd);
    List<String> profiles = new ArrayList<>(o.profiles());
    if (profiles.isEmpty()) {
      String p = env.get("COMPOSE_PROFILES");
      if (p != null) {
        for (String s : p.split(",")) {
          if (!s.isBlank()) {
            profiles.add(s.strip());
          }
        }
      }
    }
    return new ProjectFiles(files, workingDir, env, profiles);
  }

  private static String display(String given, Path abs, Path cwd) {
    return given;
  }

  private static Path firstFileDir(List<String> paths, Path cwd) {
    for (String p : paths) {
      if (!p.equals("-")) {
        return cwd.resolve(p).normalize().getParent();
      }
    }
    return null;
  }

  private static List<String> defaultFiles(Path start) {
    Path dir = start;
    while (dir != null) {
      for (String name : DEFAULT_FILE_NAMES) {
        Path f = dir.resolve(name);
        if (Files.exists(f)) {
          List<String> out = new ArrayList<>(List.of(f.toString()));
          for (String o : DEFAULT_OVERRIDE_FILE_NAMES) {
            Path over = dir.resolve(o);
            if (Files.exists(over)) {
              out.add(over.toString());
              break;
            }
          }
          return out;
        }
      }
      dir = dir.getParent();
    }
    return List.of();
  }

  private static void addDotEnv(Map<String, String> env, LoadOptions o, Path dir, Path cwd) {
    List<Path> envFiles = new ArrayList<>();
    if (!o.envFiles().isEmpty()) {
      for (String f : o.envFiles()) {
        envFiles.add(cwd.resolve(f).normalize());
      }
    } else {
      String disable = o.environment().get("COMPOSE_DISABLE_ENV_FILE");
      if (disable != null && (disable.equals("1") || disable.equalsIgnoreCase("true"))) {
        return;
      }
      Path dot = dir.resolve(".env");
      if (Files.isRegularFile(dot)) {
        envFiles.add(dot);
      }
    }
    Map<String, String> fromFiles = new LinkedHashMap<>();
    for (Path f : envFiles) {
      if (!Files.isRegularFile(f)) {
        throw new ComposeFileException(f + ": env file not found");
      }
      fromFiles.putAll(DotEnv.read(f, name -> fromFiles.containsKey(name) ? fromFiles.get(name) : env.get(name)));
    }
    fromFiles.forEach(env::putIfAbsent);
  }
}
