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
    return repository(ref, push, null);
  }

  /**
   * As {@link #repository(ImageReference, boolean)}, with credentials given for this request only
   * (the Engine API's {@code X-Registry-Auth}): they replace the configured source for the image's
   * own registry; mirrors keep the configured credentials.
   *
   * @param requestCredentials the credentials, or null for the configured source
   */
  public RemoteRepository repository(ImageReference ref, boolean push, RegistryCredentials requestCredentials) {
    return new RemoteRepository(this, ref, endpoints(ref, push), push, requestCredentials);
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

  /**
   * Checks credentials the way {@code docker login} does: {@code GET /v2/}, then the challenge it
   * answers with (Basic: the same request with the credentials; Bearer: a token request to the
   * realm for the service, with the credentials and no scope). A registry that needs no
   * authentication accepts any credentials.
   *
   * @param registryHost {@code host[:port]}, or {@code docker.io}
   * @throws RegistryException.Unauthorized naming the user when the registry refuses them
   * @throws RegistryException when the registry cannot be reached or answers oddly
   */
  public void checkLogin(String registryHost, RegistryCredentials credentials) {
    URI base = registryHost.equals(ImageReference.DOCKER_HUB) ? config.dockerHubEndpoint()
        : URI.create((config.isPlainHttp(registryHost) ? "http" : "https") + "://" + registryHost);
    URI v2 = base.resolve("/v2/");
    try {
      var anonymous = http.send(java.net.http.HttpRequest.newBuilder(v2).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      if (anonymous.statusCode() == 200) {
        return;
      }
      String header = anonymous.headers().firstValue("WWW-Authenticate").orElse(null);
      if (anonymous.statusCode() != 401 || header == null) {
        throw new RegistryException("registry " + registryHost + " answered " + anonymous.statusCode() + " to /v2/");
      }
      AuthChallenge challenge = AuthChallenge.parse(header);
      URI check = switch (challenge.scheme()) {
        case "basic" -> v2;
        case "bearer" -> {
          String realm = challenge.param("realm");
          if (realm == null || realm.isBlank()) {
            throw new RegistryException("registry " + registryHost + " asks for a token but names no realm");
          }
          String service = challenge.param("service");
          yield URI.create(realm + (realm.contains("?") ? "&" : "?") + "account="
              + java.net.URLEncoder.encode(credentials.username(), java.nio.charset.StandardCharsets.UTF_8)
              + (service == null ? "" : "&service=" + java.net.URLEncoder.encode(service, java.nio.charset.StandardCharsets.UTF_8)));
        }
        default -> throw new RegistryException("registry " + registryHost + " asks for unsupported authentication \""
            + challenge.scheme() + "\"");
      };
      int status = http.send(java.net.http.HttpRequest.newBuilder(check).GET().header("Authorization", credentials.basicHeader()).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 401 || status == 403) {
        throw new RegistryException.Unauthorized("login to registry " + registryHost + " failed for user \""
            + credentials.username() + "\": wrong username or password");
      }
      if (status != 200) {
        throw new RegistryException("login to registry " + registryHost + ": " + check.getHost() + " answered " + status);
      }
    } catch (java.io.IOException e) {
      throw new RegistryException("cannot reach registry " + registryHost + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("login to " + registryHost + " was interrupted");
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
