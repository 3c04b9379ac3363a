package io.jcompose.model.oracle;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.model.print.ConfigPrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One corpus case: a directory under {@code src/test/resources/oracle/} with Compose files and
 * optional {@code args} (global command-line flags, one line, whitespace separated; a token
 * {@code --no-interpolate} or {@code --format=json} is passed to {@code config}) and
 * {@code env} ({@code KEY=VALUE} lines: the shell environment). A directory named
 * {@code invalid-*} must be rejected by both tools.
 *
 * <p>Both tools run in the same copy of the case, in a temporary directory named like the case,
 * with the same environment, so their output is compared without any rewriting; the only
 * normalisation is that docker compose's stderr (warnings) is ignored.
 */
record OracleCase(String name, Path source, List<String> args, Map<String, String> env) {

  static List<OracleCase> all(Path root) throws IOException {
    List<OracleCase> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        List<String> args = new ArrayList<>();
        Path a = d.resolve("args");
        if (Files.exists(a)) {
          for (String t : Files.readString(a).trim().split("\\s+")) {
            if (!t.isEmpty()) {
              args.add(t);
            }
          }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", "/root");
        Path e = d.resolve("env");
        if (Files.exists(e)) {
          for (String line : Files.readAllLines(e)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
              env.put(line.substring(0, eq), line.substring(eq + 1));
            }
          }
        }
        cases.add(new OracleCase(d.getFileName().toString(), d, args, env));
      }
    }
    return cases;
  }

  boolean invalid() {
    return name.startsWith("invalid-");
  }

  boolean json() {
    return args.contains("--format=json");
  }

  /** Copies the case into {@code tmp/<name>} (minus the control files) and returns that directory. */
  Path stage(Path tmp) throws IOException {
    Path dir = tmp.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.sorted().toList()) {
        Path rel = source.relativize(f);
        if (rel.toString().equals("args") || rel.toString().equals("env")) {
          continue;
        }
        Path to = dir.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      }
    }
    return dir;
  }

  /**
   * The result of one tool.
   *
   * @param ok whether it accepted the project
   * @param output stdout (accepted) or the error message (rejected)
   */
  record Result(boolean ok, String output) {}

  Result oracle(Path binary, Path dir) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary.toString()));
    List<String> configFlags = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--no-interpolate") || a.equals("--format=json")) {
        configFlags.add(a);
      } else {
        cmd.add(a);
      }
    }
    cmd.add("config");
    cmd.addAll(configFlags);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Path err = Files.createTempFile("oracle", ".err");
    try {
      pb.redirectError(err.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(stdinFile(dir).toFile()));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("docker compose config timed out on " + name);
      }
      return p.exitValue() == 0 ? new Result(true, out) : new Result(false, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private Path stdinFile(Path dir) {
    Path s = dir.resolve("stdin.yaml");
    return Files.exists(s) ? s : Path.of("/dev/null");
  }

  Result ours(Path dir) throws IOException {
    LoadOptions o = LoadOptions.defaults().withEnvironment(env).withCurrentDirectory(dir);
    List<String> files = new ArrayList<>();
    List<String> envFiles = new ArrayList<>();
    List<String> profiles = new ArrayList<>();
    String stdin = Files.exists(stdinFile(dir)) && !stdinFile(dir).toString().equals("/dev/null") ? Files.readString(stdinFile(dir)) : "";
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-f", "--file" -> files.add(args.get(++i));
        case "-p", "--project-name" -> o = o.withProjectName(args.get(++i));
        case "--project-directory" -> o = o.withProjectDirectory(args.get(++i));
        case "--env-file" -> envFiles.add(args.get(++i));
        case "--profile" -> profiles.add(args.get(++i));
        case "--no-interpolate" -> o = o.withInterpolation(false);
        case "--format=json" -> {}
        default -> throw new IllegalArgumentException("unsupported flag in " + name + "/args: " + a);
      }
    }
    o = o.withFiles(files).withEnvFiles(envFiles).withProfiles(profiles).withStdin(() -> stdin);
    try {
      Project p = ProjectLoader.load(o);
      boolean escape = !args.contains("--no-interpolate");
      return new Result(true, json() ? ConfigPrinter.json(p, escape) : ConfigPrinter.yaml(p, escape));
    } catch (ComposeFileException e) {
      return new Result(false, e.getMessage());
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
