package io.jcompose.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jcompose.runtime.image.registry.AuthSource;
import io.jcompose.runtime.image.registry.RegistryConfig;
import io.jcompose.runtime.image.registry.RegistryException;
import io.jcompose.testsupport.RegistryServer;
import io.jcompose.runtime.image.support.Root;
import io.jcompose.runtime.image.support.TarBuilder;
import io.jcompose.runtime.image.support.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries and redirects through a real HTTP front (JDK HttpServer) before a real registry: the
 * front answers 503 to the first manifest requests and redirects blob requests to the registry's
 * own port, as registries backed by object storage do.
 */
@Tag("registry")
@Tag("root")
class RegistryTransportTest {

  @TempDir Path dir;
  @TempDir Path dataRoot;

  @Test
  void retriesServerErrorsAndFollowsBlobRedirects() throws Exception {
    Root.assume();
    try (RegistryServer registry = RegistryServer.anonymous(dir);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      TestImages.push(TestImages.Pusher.anonymous(registry), "library/app", "1", "amd64", false,
          List.of(TestImages.gzip(new TarBuilder().file("f", "redirected").tar(), false)));
      AtomicInteger failuresLeft = new AtomicInteger(2);
      AtomicInteger redirects = new AtomicInteger();
      HttpServer front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      front.createContext("/", ex -> {
        try (ex) {
          String path = ex.getRequestURI().toString();
          if (path.contains("/manifests/") && failuresLeft.getAndDecrement() > 0) {
            ex.sendResponseHeaders(503, -1);
          } else if (path.contains("/blobs/sha256:")) {
            redirects.incrementAndGet();
            ex.getResponseHeaders().add("Location", registry.base() + path);
            ex.sendResponseHeaders(307, -1);
          } else {
            proxy(http, registry, ex);
          }
        }
      });
      front.start();
      try {
        String host = "127.0.0.1:" + front.getAddress().getPort();
        RegistryConfig cfg = RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS)
            .withRetries(3, Duration.ofMillis(10));
        try (ImageService images = new ImageService(dataRoot, cfg)) {
          Image image = images.pull(host + "/library/app:1", null, PullProgressListener.NONE);
          assertThat(images.lowerDirs(image).getFirst().resolve("f")).hasContent("redirected");
          assertThat(failuresLeft.get()).isNegative();
          assertThat(redirects.get()).isEqualTo(2); // config and layer
        }
        failuresLeft.set(10);
        try (ImageService images = new ImageService(dataRoot.resolve("other"), cfg)) {
          assertThatThrownBy(() -> images.pull(host + "/library/app:1", null, PullProgressListener.NONE))
              .isInstanceOf(RegistryException.class)
              .hasMessageContaining("answered 503")
              .hasMessageContaining("after 3 attempts");
        }
      } finally {
        front.stop(0);
      }
    }
  }

  @Test
  void unreachableRegistryIsAClearError() {
    RegistryConfig cfg = RegistryConfig.defaults().withAuth(AuthSource.ANONYMOUS)
        .withRetries(2, Duration.ofMillis(10));
    try (ImageService images = new ImageService(dataRoot, cfg)) {
      assertThatThrownBy(() -> images.pull("127.0.0.1:1/library/app:1", null, PullProgressListener.NONE))
          .isInstanceOf(RegistryException.class)
          .hasMessageStartingWith("cannot reach registry 127.0.0.1:1 for manifest 1 of 127.0.0.1:1/library/app:1")
          .hasMessageContaining("tried 2 times");
    }
  }

  private static void proxy(HttpClient http, RegistryServer registry, HttpExchange ex) throws IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(registry.base() + ex.getRequestURI()))
        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (accept != null) {
      req.header("Accept", accept);
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    for (String h : List.of("Content-Type", "Docker-Content-Digest")) {
      r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
    }
    ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
    ex.getResponseBody().write(r.body());
  }
}
