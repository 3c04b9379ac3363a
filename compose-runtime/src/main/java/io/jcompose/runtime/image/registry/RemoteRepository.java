package io.jcompose.runtime.image.registry;

import io.jcompose.runtime.image.manifest.Manifest;
import io.jcompose.runtime.image.manifest.ManifestException;
import io.jcompose.runtime.image.manifest.MediaTypes;
import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One repository at one registry (plus its mirrors), as seen by a pull or push: manifests and
 * blobs, with authentication, retries and redirects handled here.
 */
public final class RemoteRepository {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteRepository.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_REDIRECTS = 5;
  private static final long MAX_MANIFEST_BYTES = 4L << 20;

  private final RegistryClient client;
  private final ImageReference ref;
  private final List<RegistryEndpoint> endpoints;
  private final boolean push;
  /** Credentials of this request for the image's own registry, or null (the configured source). */
  private final RegistryCredentials requestCredentials;
  /** The endpoint that served the manifest; blobs come from it too. */
  private volatile int current;

  RemoteRepository(
      RegistryClient client, ImageReference ref, List<RegistryEndpoint> endpoints, boolean push,
      RegistryCredentials requestCredentials) {
    this.client = client;
    this.ref = ref;
    this.endpoints = List.copyOf(endpoints);
    this.push = push;
    this.requestCredentials = requestCredentials;
  }

  /** The credentials for an endpoint: this request's for the image's registry, else the configured ones. */
  private Optional<RegistryCredentials> credentials(RegistryEndpoint ep) {
    if (requestCredentials != null && !ep.mirror()) {
      return Optional.of(requestCredentials);
    }
    return client.config().auth().lookup(ep.credentialsKey());
  }

  /** The endpoint in use (after {@link #manifest}, the one that answered). */
  public RegistryEndpoint endpoint() {
    return endpoints.get(current);
  }

  /**
   * Fetches a manifest or index by tag or digest and checks it against the digest asked for (or
   * the one the registry announced).
   */
  public FetchedManifest manifest(String reference) {
    RuntimeException firstMirrorFailure = null;
    for (int i = 0; i < endpoints.size(); i++) {
      RegistryEndpoint ep = endpoints.get(i);
      try {
        FetchedManifest m = manifestFrom(ep, reference);
        current = i;
        return m;
      } catch (RegistryException | ManifestException e) {
        if (!ep.mirror()) {
          throw withMirrorNote(e, firstMirrorFailure);
        }
        LOG.info("mirror {} failed for {}: {}", ep.base(), ref, e.getMessage());
        if (firstMirrorFailure == null) {
          firstMirrorFailure = e;
        }
      }
    }
    throw new IllegalStateException("no endpoint for " + ref);
  }

  private static RuntimeException withMirrorNote(RuntimeException e, RuntimeException mirror) {
    if (mirror == null) {
      return e;
    }
    return new RegistryException(e.getMessage() + " (mirror also failed: " + mirror.getMessage() + ")", e);
  }

  private FetchedManifest manifestFrom(RegistryEndpoint ep, String reference) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(ep.uri("manifests", reference))
            .header("Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS))
            .GET();
    HttpResponse<InputStream> resp = send(ep, req, "manifest " + reference);
    byte[] body;
    try (InputStream in = resp.body()) {
      body = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
    } catch (IOException e) {
      throw new RegistryException(
          "reading manifest " + reference + " from " + ep.display() + ": " + e.getMessage(), e);
    }
    if (body.length > MAX_MANIFEST_BYTES) {
      throw new ManifestException("manifest " + reference + " is larger than 4 MiB; refusing it");
    }
    Digest actual = Digest.sha256(body);
    if (reference.startsWith("sha256:") && !actual.equals(Digest.parse(reference))) {
      throw new ManifestException(
          "manifest from " + ep.display() + " has digest " + actual + ", not the " + reference
              + " asked for; refusing it");
    }
    Optional<String> announced = resp.headers().firstValue("Docker-Content-Digest");
    if (announced.isPresent() && announced.get().startsWith("sha256:")
        && !actual.toString().equals(announced.get())) {
      throw new ManifestException(
          "manifest from " + ep.display() + " does not match its Docker-Content-Digest "
              + announced.get() + "; refusing it");
    }
    String contentType = resp.headers().firstValue("Content-Type").orElse(null);
    Manifest parsed = Manifest.parse(body, contentType);
    return new FetchedManifest(actual, parsed.mediaType(), body, parsed);
  }

  /**
   * Opens a blob from byte {@code offset} on (a {@code Range} request when offset > 0). Blob
   * redirects (e.g. to object storage) are followed without sending credentials to other hosts.
   */
  public BlobStream openBlob(Digest digest, long offset) throws IOException {
    RegistryEndpoint ep = endpoint();
    HttpRequest.Builder req = HttpRequest.newBuilder(ep.uri("blobs", digest.toString())).GET();
    if (offset > 0) {
      req.header("Range", "bytes=" + offset + "-");
    }
    HttpResponse<InputStream> resp = send(ep, req, "blob " + digest);
    long start = 0;
    if (resp.statusCode() == 206) {
      start = resp.headers().firstValue("Content-Range")
          .map(RemoteRepository::rangeStart).orElse(0L);
      if (start != offset) {
        // A range we did not ask for: start over from the beginning.
        resp.body().close();
        return openBlob(digest, 0);
      }
    }
    return new BlobStream(resp.body(), start);
  }

  private static long rangeStart(String contentRange) {
    // "bytes 100-999/1000"
    String s = contentRange.strip();
    int sp = s.indexOf(' ');
    int dash = s.indexOf('-');
    try {
      return Long.parseLong(s.substring(sp + 1, dash));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Whether the repository already has the blob (HEAD). */
  public boolean hasBlob(Digest digest) {
    RegistryEndpoint ep = endpoint();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(ep.uri("blobs", digest.toString()))
            .method("HEAD", HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<InputStream> r = send(ep, req, "blob " + digest);
      r.body().close();
      return true;
    } catch (RegistryException.NotFound e) {
      return false;
    } catch (IOException e) {
      throw new RegistryException("checking blob " + digest + ": " + e.getMessage(), e);
    }
  }

  /** How a blob got into the repository. */
  public enum BlobPush { ALREADY_THERE, MOUNTED, UPLOADED }

  /**
   * Uploads a blob from a file with a monolithic upload (POST then PUT), or mounts it from
   * {@code mountFrom} (a repository path on the same registry) when the registry allows.
   *
   * @param sent told the bytes handed to the connection so far while uploading
   */
  public BlobPush pushBlob(Digest digest, Path file, Optional<String> mountFrom, LongConsumer sent) {
    if (hasBlob(digest)) {
      return BlobPush.ALREADY_THERE;
    }
    RegistryEndpoint ep = endpoint();
    String query = mountFrom
        .map(from -> "?mount=" + enc(digest.toString()) + "&from=" + enc(from))
        .orElse("");
    URI start = URI.create(ep.uri("blobs", "uploads/").toString() + query);
    HttpResponse<InputStream> r =
        send(ep, HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()),
            "blob upload " + digest);
    close(r);
    if (r.statusCode() == 201) {
      return BlobPush.MOUNTED;
    }
    String location = r.headers().firstValue("Location")
        .orElseThrow(() -> new RegistryException("registry " + ep.display()
            + " started an upload without a Location header"));
    URI upload = r.uri().resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    URI put = URI.create(upload + sep + "digest=" + enc(digest.toString()));
    try {
      HttpResponse<InputStream> done =
          send(ep, HttpRequest.newBuilder(put)
              .header("Content-Type", "application/octet-stream")
              .PUT(counting(HttpRequest.BodyPublishers.ofFile(file), sent)), "blob upload " + digest);
      close(done);
      return BlobPush.UPLOADED;
    } catch (java.io.FileNotFoundException e) {
      throw new RegistryException("blob " + digest + " is missing from the store: " + file, e);
    }
  }

  /** A body that reports the bytes it hands to the connection (each retry counts from 0). */
  private static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher body, LongConsumer sent) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> downstream) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          private long count;

          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            downstream.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            count += item.remaining();
            downstream.onNext(item);
            sent.accept(count);
          }

          @Override
          public void onError(Throwable throwable) {
            downstream.onError(throwable);
          }

          @Override
          public void onComplete() {
            downstream.onComplete();
          }
        });
      }
    };
  }

  /** Uploads a manifest under {@code reference} (tag or digest). */
  public void putManifest(String reference, byte[] body, String mediaType) {
    RegistryEndpoint ep = endpoint();
    close(send(ep, HttpRequest.newBuilder(ep.uri("manifests", reference))
        .header("Content-Type", mediaType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)), "manifest " + reference));
  }

  private static void close(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException ignored) {
      // nothing more to read
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // --- transport: auth, retries, redirects ---------------------------------------------------

  private String scope() {
    return "repository:" + endpoint().path() + ":" + (push ? "pull,push" : "pull");
  }

  private String cacheKey(RegistryEndpoint ep) {
    String who = requestCredentials != null && !ep.mirror() ? " as " + requestCredentials.fingerprint() : "";
    return ep.base() + " " + "repository:" + ep.path() + ":" + (push ? "pull,push" : "pull") + who;
  }

  /**
   * Sends with the cached credentials, authenticating once on 401, retrying connection errors,
   * 429 and 5xx with exponential backoff, following redirects. Non-2xx answers become a
   * {@link RegistryException}. The caller closes the body.
   */
  private HttpResponse<InputStream> send(
      RegistryEndpoint ep, HttpRequest.Builder request, String what) {
    RegistryConfig cfg = client.config();
    boolean authenticated = false;
    IOException lastIo = null;
    for (int attempt = 1; attempt <= cfg.maxAttempts(); attempt++) {
      if (attempt > 1) {
        backoff(cfg.initialBackoff(), attempt);
      }
      try {
        HttpResponse<InputStream> r = sendFollowingRedirects(ep, request);
        int status = r.statusCode();
        if (status == 401 && !authenticated) {
          String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
          close(r);
          authenticate(ep, challenge);
          authenticated = true;
          attempt--; // the auth round trip does not count as a failed attempt
          continue;
        }
        if (status == 429 || status >= 500) {
          String body = errorText(r);
          LOG.debug("{} {} answered {} (attempt {}): {}", ep.display(), what, status, attempt, body);
          if (attempt == cfg.maxAttempts()) {
            throw new RegistryException(
                what + " of " + ref + ": registry " + ep.display() + " answered " + status + " "
                    + body + " after " + attempt + " attempts");
          }
          continue;
        }
        if (status >= 200 && status < 300) {
          return r;
        }
        throw failure(ep, what, status, r);
      } catch (IOException e) {
        lastIo = e;
        LOG.debug("{} {} failed (attempt {}): {}", ep.display(), what, attempt, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException("interrupted while fetching " + what + " of " + ref, e);
      }
    }
    throw new RegistryException(
        "cannot reach registry " + ep.display() + " for " + what + " of " + ref + ": "
            + describe(lastIo) + " (tried " + cfg.maxAttempts() + " times)",
        lastIo);
  }

  private static String describe(IOException e) {
    if (e == null) {
      return "no answer";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private HttpResponse<InputStream> sendFollowingRedirects(
      RegistryEndpoint ep, HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest first = request.copy().build();
    String auth = client.authCache.get(cacheKey(ep));
    HttpRequest.Builder b = request.copy();
    if (auth != null) {
      b.setHeader("Authorization", auth);
    }
    HttpResponse<InputStream> r = client.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    for (int hop = 0; hop < MAX_REDIRECTS && isRedirect(r.statusCode()); hop++) {
      Optional<String> location = r.headers().firstValue("Location");
      close(r);
      if (location.isEmpty()) {
        throw new RegistryException("registry " + ep.display() + " redirected without Location");
      }
      URI target = r.uri().resolve(location.get());
      HttpRequest.Builder next = HttpRequest.newBuilder(target).GET();
      first.headers().firstValue("Range").ifPresent(v -> next.header("Range", v));
      if (auth != null && sameOrigin(target, first.uri())) {
        next.header("Authorization", auth);
      }
      r = client.http().send(next.build(), HttpResponse.BodyHandlers.ofInputStream());
    }
    return r;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && a.getPort() == b.getPort();
  }

  private void authenticate(RegistryEndpoint ep, String header)
      throws IOException, InterruptedException {
    Optional<RegistryCredentials> creds = credentials(ep);
    if (header == null) {
      throw new RegistryException.Unauthorized(
          "registry " + ep.display() + " refused access without saying how to authenticate");
    }
    AuthChallenge challenge = AuthChallenge.parse(header);
    switch (challenge.scheme()) {
      case "basic" -> {
        if (creds.isEmpty()) {
          throw needLogin(ep);
        }
        client.authCache.put(cacheKey(ep), creds.get().basicHeader());
      }
      case "bearer" -> client.authCache.put(cacheKey(ep), "Bearer " + fetchToken(ep, challenge, creds));
      default -> throw new RegistryException.Unauthorized(
          "registry " + ep.display() + " asks for unsupported authentication \""
              + challenge.scheme() + "\"");
    }
  }

  private String fetchToken(
      RegistryEndpoint ep, AuthChallenge challenge, Optional<RegistryCredentials> creds)
      throws IOException, InterruptedException {
    String realm = challenge.param("realm");
    if (realm == null || realm.isBlank()) {
      throw new RegistryException.Unauthorized(
          "registry " + ep.display() + " asks for a token but names no realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    String service = challenge.param("service");
    if (service != null) {
      url.append("service=").append(enc(service)).append('&');
    }
    url.append("scope=").append(enc(scope()));
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString())).GET();
    creds.ifPresent(c -> req.header("Authorization", c.basicHeader()));
    HttpResponse<byte[]> r = client.http().send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw creds.isPresent() ? wrongPassword(ep, creds.get()) : needLogin(ep);
    }
    if (r.statusCode() != 200) {
      throw new RegistryException.Unauthorized(
          "token service " + realm + " for " + ep.display() + " answered " + r.statusCode());
    }
    JsonNode body = JSON.readTree(r.body());
    String token = body.path("token").asString("");
    if (token.isEmpty()) {
      token = body.path("access_token").asString("");
    }
    if (token.isEmpty()) {
      throw new RegistryException.Unauthorized(
          "token service " + realm + " for " + ep.display() + " returned no token");
    }
    return token;
  }

  private RegistryException needLogin(RegistryEndpoint ep) {
    return new RegistryException.Unauthorized(
        "pull access denied for " + ref.familiarRepository() + ": registry " + ep.display()
            + " requires authentication (run `docker login " + ep.credentialsKey()
            + "` or `jcompose login`)");
  }

  private RegistryException wrongPassword(RegistryEndpoint ep, RegistryCredentials c) {
    return new RegistryException.Unauthorized(
        "login to registry " + ep.display() + " failed for user \"" + c.username()
            + "\": wrong username or password (check ~/.docker/config.json or log in again)");
  }

  private RegistryException failure(
      RegistryEndpoint ep, String what, int status, HttpResponse<InputStream> r) {
    String detail = errorText(r);
    String msg = what + " of " + ref + ": registry " + ep.display() + " answered " + status
        + (detail.isEmpty() ? "" : " (" + detail + ")");
    return switch (status) {
      case 404 -> new RegistryException.NotFound(
          (what.startsWith("manifest") ? "manifest for " + ref + " not found" : what + " not found")
              + ": " + (detail.isEmpty() ? "404" : detail) + " at " + ep.display());
      case 401 -> credentials(ep)
          .<RegistryException>map(c -> wrongPassword(ep, c)).orElseGet(() -> needLogin(ep));
      case 403 -> new RegistryException.Unauthorized(msg);
      default -> new RegistryException(msg);
    };
  }

  /** The registry's error message: the first {@code errors[].message}, else the raw body. */
  private static String errorText(HttpResponse<InputStream> r) {
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readNBytes(8192);
    } catch (IOException e) {
      return "";
    }
    if (body.length == 0) {
      return "";
    }
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        JsonNode e = errors.get(0);
        String code = e.path("code").asString("");
        String message = e.path("message").asString("");
        return (code.isEmpty() ? "" : code + ": ") + message;
      }
    } catch (RuntimeException ignored) {
      // not JSON: fall through to the text
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static void backoff(Duration initial, int attempt) {
    long base = initial.toMillis() << Math.min(attempt - 2, 6);
    long jitter = ThreadLocalRandom.current().nextLong(base / 4 + 1);
    try {
      Thread.sleep(base + jitter);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while waiting to retry", e);
    }
  }
}
