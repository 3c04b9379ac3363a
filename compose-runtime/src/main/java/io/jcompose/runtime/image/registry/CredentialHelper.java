package io.jcompose.runtime.image.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Docker credential helper ({@code docker-credential-<name>}, the docker-credential-helpers
 * protocol): {@code get} reads the server address on stdin and prints
 * {@code {"ServerURL":…,"Username":…,"Secret":…}}, or fails with "credentials not found".
 * {@code store} and {@code erase} serve login and logout. Found on a search path (the {@code PATH} by default), as the Docker CLI finds it, and run with
 * the environment of the command that asked (a CLI server run: its client's, not the daemon's).
 */
final class CredentialHelper {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final String NOT_FOUND = "credentials not found in native keychain";
  private static final long TIMEOUT_SECONDS = 30;

  private final String name;
  private final List<Path> searchPath;
  private final Map<String, String> environment;

  /**
   * @param name the helper's name ({@code pass} for {@code docker-credential-pass})
   * @param searchPath where the program is looked up
   * @param environment the helper's environment, or null for this JVM's
   */
  CredentialHelper(String name, List<Path> searchPath, Map<String, String> environment) {
    this.name = name;
    this.searchPath = List.copyOf(searchPath);
    this.environment = environment == null ? null : Map.copyOf(environment);
  }

  /** The directories of this JVM's {@code $PATH}. */
  static List<Path> systemPath() {
    return searchPath(System.getenv("PATH"));
  }

  /** The directories of a {@code PATH} value (none when null). */
  static List<Path> searchPath(String path) {
    return path == null ? List.of() : java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
        .filter(s -> !s.isEmpty()).map(Path::of).toList();
  }

  /**
   * Asks the helper for the credentials of {@code serverAddress}.
   *
   * @return the credentials, or empty when the helper has none for it
   * @throws RegistryException when the helper is missing, fails or answers garbage
   */
  Optional<RegistryCredentials> get(String serverAddress) {
    Answer a = run("get", serverAddress);
    if (a.exitCode() != 0) {
      if (a.text().contains(NOT_FOUND)) {
        return Optional.empty();
      }
      throw new RegistryException(program() + " get failed for " + serverAddress + ": " + a.text());
    }
    try {
      JsonNode json = MAPPER.readTree(a.text());
      String user = json.path("Username").asString("");
      String secret = json.path("Secret").asString("");
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      if (user.equals("<token>")) {
        throw new RegistryException(program() + " returned an identity token for " + serverAddress
            + "; identity tokens are not supported, log in with a username and password");
      }
      return Optional.of(new RegistryCredentials(user, secret));
    } catch (JacksonException e) {
      throw new RegistryException(program() + " get answered no JSON for " + serverAddress + ": " + e.getMessage());
    }
  }

  /** {@code store}: keeps the credentials of {@code serverAddress} in the helper ({@code docker login}). */
  void store(String serverAddress, RegistryCredentials credentials) {
    String json = MAPPER.createObjectNode().put("ServerURL", serverAddress).put("Username", credentials.username())
        .put("Secret", credentials.password()).toString();
    Answer a = run("store", json);
    if (a.exitCode() != 0) {
      throw new RegistryException(program() + " store failed for " + serverAddress + ": " + a.text());
    }
  }

  /** {@code erase}: forgets {@code serverAddress} ({@code docker logout}); true if the helper had it. */
  boolean erase(String serverAddress) {
    Answer a = run("erase", serverAddress);
    if (a.exitCode() != 0 && !a.text().contains(NOT_FOUND)) {
      throw new RegistryException(program() + " erase failed for " + serverAddress + ": " + a.text());
    }
    return a.exitCode() == 0;
  }

  private record Answer(int exitCode, String text) {}

  private String program() {
    return "docker-credential-" + name;
  }

  /** Runs {@code docker-credential-<name> <verb>} with {@code input} on stdin. */
  private Answer run(String verb, String input) {
    Path exe = searchPath.stream().map(d -> d.resolve(program())).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new RegistryException("credential helper " + program() + " not found on the PATH"
            + " (install it, or remove \"" + name + "\" from credsStore/credHelpers in the Docker config file)"));
    try {
      ProcessBuilder pb = new ProcessBuilder(exe.toString(), verb).redirectErrorStream(true);
      if (environment != null) {
        pb.environment().clear();
        pb.environment().putAll(environment);
      }
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new RegistryException(program() + " " + verb + " did not answer within " + TIMEOUT_SECONDS + "s");
      }
      return new Answer(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new RegistryException(program() + " " + verb + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(program() + " " + verb + " was interrupted");
    }
  }
}
