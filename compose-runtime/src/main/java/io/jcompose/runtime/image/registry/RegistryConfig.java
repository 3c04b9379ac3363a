package io.jcompose.runtime.image.registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the engine reaches registries, the counterpart of Docker's daemon.json settings.
 *
 * @param mirrors Docker Hub mirrors tried in order before Docker Hub itself (Docker's
 *     {@code registry-mirrors}), e.g. {@code http://127.0.0.1:5000}
 * @param insecureRegistries {@code host[:port]} reached over plain http (Docker's
 *     {@code insecure-registries}); loopback hosts always are
 * @param auth where credentials come from
 * @param dockerHubEndpoint where Docker Hub's registry API lives (tests point it elsewhere)
 * @param maxAttempts attempts per request on connection errors and 5xx answers
 * @param initialBackoff wait before the second attempt; doubled for each further one
 * @param maxConcurrentDownloads layers downloaded in parallel per pull (Docker's default: 3)
 * @param connectTimeout TCP connect timeout
 */
public record RegistryConfig(
    List<URI> mirrors,
    Set<String> insecureRegistries,
    AuthSource auth,
    URI dockerHubEndpoint,
    int maxAttempts,
    Duration initialBackoff,
    int maxConcurrentDownloads,
    Duration connectTimeout) {

  public static final URI DOCKER_HUB_ENDPOINT = URI.create("https://registry-1.docker.io");

  public RegistryConfig {
    mirrors = List.copyOf(mirrors);
    insecureRegistries = Set.copyOf(insecureRegistries);
    for (URI m : mirrors) {
      if (m.getScheme() == null || !m.getScheme().matches("https?") || m.getHost() == null) {
        throw new IllegalArgumentException(
            "invalid registry mirror \"" + m + "\": expected http(s)://host[:port]");
      }
    }
    if (maxAttempts < 1 || maxConcurrentDownloads < 1) {
      throw new IllegalArgumentException("maxAttempts and maxConcurrentDownloads must be >= 1");
    }
  }

  /** No mirrors, no insecure registries, credentials from the user's Docker config file. */
  public static RegistryConfig defaults() {
    return new RegistryConfig(
        List.of(),
        Set.of(),
        DockerConfigAuthSource.forCurrentUser(),
        DOCKER_HUB_ENDPOINT,
        4,
        Duration.ofMillis(200),
        3,
        Duration.ofSeconds(15));
  }

  public RegistryConfig withMirrors(List<URI> newMirrors) {
    return new RegistryConfig(newMirrors, insecureRegistries, auth, dockerHubEndpoint,
        maxAttempts, initialBackoff, maxConcurrentDownloads, connectTimeout);
  }

  public RegistryConfig withInsecureRegistries(Set<String> hosts) {
    return new RegistryConfig(mirrors, hosts, auth, dockerHubEndpoint,
        maxAttempts, initialBackoff, maxConcurrentDownloads, connectTimeout);
  }

  public RegistryConfig withAuth(AuthSource newAuth) {
    return new RegistryConfig(mirrors, insecureRegistries, newAuth, dockerHubEndpoint,
        maxAttempts, initialBackoff, maxConcurrentDownloads, connectTimeout);
  }

  public RegistryConfig withDockerHubEndpoint(URI endpoint) {
    return new RegistryConfig(mirrors, insecureRegistries, auth, endpoint,
        maxAttempts, initialBackoff, maxConcurrentDownloads, connectTimeout);
  }

  public RegistryConfig withRetries(int attempts, Duration backoff) {
    return new RegistryConfig(mirrors, insecureRegistries, auth, dockerHubEndpoint,
        attempts, backoff, maxConcurrentDownloads, connectTimeout);
  }

  public RegistryConfig withMaxConcurrentDownloads(int n) {
    return new RegistryConfig(mirrors, insecureRegistries, auth, dockerHubEndpoint,
        maxAttempts, initialBackoff, n, connectTimeout);
  }

  /** Whether {@code hostPort} is reached over plain http: loopback or configured insecure. */
  public boolean isPlainHttp(String hostPort) {
    if (insecureRegistries.contains(hostPort)) {
      return true;
    }
    String host = hostOnly(hostPort);
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
        || insecureRegistries.contains(host);
  }

  private static String hostOnly(String hostPort) {
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      return end > 0 ? hostPort.substring(1, end) : hostPort;
    }
    int colon = hostPort.lastIndexOf(':');
    return colon >= 0 ? hostPort.substring(0, colon) : hostPort;
  }
}
