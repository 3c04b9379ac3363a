package io.jcompose.runtime.image.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials from a Docker CLI config file ({@code ~/.docker/config.json}, or
 * {@code $DOCKER_CONFIG/config.json}): the {@code auths} map, each entry with a base64
 * {@code auth} of {@code user:password} (or separate {@code username}/{@code password}), and
 * credential helpers as the Docker CLI consults them: {@code credHelpers} per registry first, else
 * {@code credsStore} for all, the file's {@code auths} entry when the helper has nothing.
 *
 * <p>The file is read on every lookup, so a {@code login} made meanwhile is seen.
 */
public final class DockerConfigAuthSource implements AuthSource {

  /** The key {@code docker login} uses for Docker Hub. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private final Path file;
  private final List<Path> helperPath;
  private final Map<String, String> helperEnvironment;

  /** Reads {@code file}; credential helpers are looked up on this JVM's {@code PATH}. */
  public DockerConfigAuthSource(Path file) {
    this(file, CredentialHelper.systemPath());
  }

  /**
   * @param file the Docker config file
   * @param helperPath where {@code docker-credential-*} programs are looked up
   */
  public DockerConfigAuthSource(Path file, List<Path> helperPath) {
    this(file, helperPath, null);
  }

  private DockerConfigAuthSource(Path file, List<Path> helperPath, Map<String, String> helperEnvironment) {
    this.file = file;
    this.helperPath = List.copyOf(helperPath);
    this.helperEnvironment = helperEnvironment == null ? null : Map.copyOf(helperEnvironment);
  }

  /** The config file the Docker CLI would read for the current user. */
  public static DockerConfigAuthSource forCurrentUser() {
    return forEnvironment(System.getenv());
  }

  /**
   * What the Docker CLI would use with environment {@code env}: the config file
   * {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}, and credential
   * helpers found on {@code env}'s {@code PATH} and run with {@code env} (a CLI server run's
   * helpers are its client's, not the daemon's).
   */
  public static DockerConfigAuthSource forEnvironment(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    Path base =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker");
    return new DockerConfigAuthSource(base.resolve("config.json"), CredentialHelper.searchPath(env.get("PATH")), env);
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<RegistryCredentials> lookup(String registryHost) {
    JsonNode root = readRoot();
    String wanted = normaliseKey(registryHost);
    Optional<String> helper = helperFor(root, wanted);
    if (helper.isPresent()) {
      Optional<RegistryCredentials> fromHelper = new CredentialHelper(helper.get(), helperPath, helperEnvironment).get(fileKey(registryHost));
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    return Optional.ofNullable(fromAuths(root).get(wanted));
  }

  /** {@code credHelpers} entry for the registry, else {@code credsStore}, as the Docker CLI picks. */
  private static Optional<String> helperFor(JsonNode root, String wantedKey) {
    for (var e : root.path("credHelpers").properties()) {
      if (normaliseKey(e.getKey()).equals(wantedKey) && e.getValue().isString() && !e.getValue().stringValue().isBlank()) {
        return Optional.of(e.getValue().stringValue());
      }
    }
    JsonNode store = root.path("credsStore");
    return store.isString() && !store.stringValue().isBlank() ? Optional.of(store.stringValue()) : Optional.empty();
  }

  /**
   * Stores credentials for {@code registryHost} the way {@code docker login} does: in the
   * credential helper the file names for it (leaving an empty {@code auths} entry, as Docker does),
   * else as base64 {@code auth} (Docker Hub under {@code https://index.docker.io/v1/}), keeping
   * every other setting of the file. Written to a temp file with mode 0600 and renamed over the old one.
   */
  public void save(String registryHost, RegistryCredentials credentials) {
    Optional<String> helper = helperFor(readRoot(), normaliseKey(registryHost));
    helper.ifPresent(h -> new CredentialHelper(h, helperPath, helperEnvironment).store(fileKey(registryHost), credentials));
    update(auths -> {
      removeKeysFor(auths, registryHost);
      var entry = auths.putObject(fileKey(registryHost));
      if (helper.isEmpty()) {
        entry.put("auth", Base64.getEncoder().encodeToString(
            (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8)));
      }
    });
  }

  /** Forgets the credentials for {@code registryHost} ({@code docker logout}), in its helper too; true if any. */
  public boolean remove(String registryHost) {
    Optional<String> helper = helperFor(readRoot(), normaliseKey(registryHost));
    boolean[] removed = {helper.map(h -> new CredentialHelper(h, helperPath, helperEnvironment).erase(fileKey(registryHost))).orElse(false)};
    update(auths -> removed[0] |= removeKeysFor(auths, registryHost));
    return removed[0];
  }

  private static String fileKey(String registryHost) {
    return normaliseKey(registryHost).equals("docker.io") ? DOCKER_HUB_KEY : registryHost;
  }

  private static boolean removeKeysFor(tools.jackson.databind.node.ObjectNode auths, String host) {
    String wanted = normaliseKey(host);
    java.util.List<String> doomed = auths.propertyNames().stream()
        .filter(k -> normaliseKey(k).equals(wanted)).toList();
    doomed.forEach(auths::remove);
    return !doomed.isEmpty();
  }

  private void update(java.util.function.Consumer<tools.jackson.databind.node.ObjectNode> change) {
    try {
      tools.jackson.databind.node.ObjectNode root;
      try {
        JsonNode read = MAPPER.readTree(Files.readAllBytes(file));
        root = read instanceof tools.jackson.databind.node.ObjectNode o ? o : MAPPER.createObjectNode();
      } catch (NoSuchFileException e) {
        root = MAPPER.createObjectNode();
      }
      JsonNode auths = root.get("auths");
      tools.jackson.databind.node.ObjectNode authsObj =
          auths instanceof tools.jackson.databind.node.ObjectNode o ? o : root.putObject("auths");
      change.accept(authsObj);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | JacksonException e) {
      throw new RegistryException("cannot update registry credentials in " + file + ": "
          + e.getMessage());
    }
  }

  private JsonNode readRoot() {
    try {
      return MAPPER.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return MAPPER.createObjectNode();
    } catch (IOException | JacksonException e) {
      throw new RegistryException(
          "cannot read registry credentials from " + file + ": " + e.getMessage()
              + " (fix or remove the file, or log in again)");
    }
  }

  private Map<String, RegistryCredentials> fromAuths(JsonNode root) {
    Map<String, RegistryCredentials> out = new HashMap<>();
    JsonNode auths = root.path("auths");
    if (!auths.isObject()) {
      return out;
    }
    for (var entry : auths.properties()) {
      RegistryCredentials creds = decode(entry.getKey(), entry.getValue());
      if (creds != null) {
        out.putIfAbsent(normaliseKey(entry.getKey()), creds);
      }
    }
    return out;
  }

  private RegistryCredentials decode(String key, JsonNode entry) {
    JsonNode auth = entry.get("auth");
    if (auth != null && auth.isString() && !auth.stringValue().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.stringValue().strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new RegistryException(
            "invalid base64 \"auth\" for " + key + " in " + file + " (log in again)");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new RegistryException(
            "invalid \"auth\" for " + key + " in " + file + ": expected base64 of user:password");
      }
      return new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    JsonNode user = entry.get("username");
    JsonNode pass = entry.get("password");
    if (user != null && pass != null && user.isString() && pass.isString()) {
      return new RegistryCredentials(user.stringValue(), pass.stringValue());
    }
    return null;
  }

  /**
   * The registry a server address names, as {@code docker login} reads it: Docker stores keys as
   * {@code host}, {@code https://host}, {@code http://host/v2/} and Hub as
   * {@code https://index.docker.io/v1/}; they all become a bare {@code host[:port]} ({@code docker.io}
   * for Hub).
   */
  public static String registryHost(String serverAddress) {
    return normaliseKey(serverAddress);
  }

  static String normaliseKey(String key) {
    String k = key.strip();
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return switch (k) {
      case "index.docker.io", "registry-1.docker.io", "docker.io" -> "docker.io";
      default -> k;
    };
  }
}
