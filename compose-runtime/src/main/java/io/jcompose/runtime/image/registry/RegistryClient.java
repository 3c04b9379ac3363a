package io.jcompose.runtime.image.registry;

import io.jcompose.runtime.image.reference.ImageReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Distribution API v2 (the registry HTTP API) on the JDK's {@link HttpClient}.
 * One instance is shared by all pulls: it keeps the HTTP connection pool and the tokens obtained
 * from registries' token services.
 */
public final class RegistryClient implements AutoCloseable {

  private final RegistryConfig config;
  private final HttpClient http;
  /** Authorization header values by endpoint base + scope. */
  final Map<String, String> authCache = new ConcurrentHashMap<>();

  public RegistryClient(RegistryConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            // Registries speak HTTP/1.1; asking plain-http ones for h2c upgrades only costs time.
            .version(HttpClient.Version.HTTP_1_1)
            // Redirects are followed by hand so credentials never leak to another host.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(config.connectTimeout())
            .build();
  }

  public RegistryConfig config() {
    return config;
  }

  HttpClient http() {
    return http;
  }

  /**
   * A handle on {@code ref}'s repository for pulling ({@code push=false}) or pushing. For Docker
   * Hub images, the configured mirrors come first, then Docker Hub.
   */
  public RemoteRepository repository(ImageReference ref, boolean push) {
    return new RemoteRepository(this, ref, endpoints(ref, push), push);
  }

  /** The endpoints to try for {@code ref}, in order. */
  List<RegistryEndpoint> endpoints(ImageReference ref, boolean push) {
    List<RegistryEndpoint> out = new ArrayList<>();
    if (ref.isDockerHub()) {
      if (!push) {
        for (URI mirror : config.mirrors()) {
          out.add(new RegistryEndpoint(mirror, mirror.getAuthority(), ref.path(), true));
        }
      }
      out.add(new RegistryEndpoint(config.dockerHubEndpoint(), ImageReference.DOCKER_HUB,
          ref.path(), false));
    } else {
      String scheme = config.isPlainHttp(ref.domain()) ? "http" : "https";
      out.add(new RegistryEndpoint(URI.create(scheme + "://" + ref.domain()), ref.domain(),
          ref.path(), false));
    }
    return out;
  }

  @Override
  public void close() {
    http.close();
  }
}
