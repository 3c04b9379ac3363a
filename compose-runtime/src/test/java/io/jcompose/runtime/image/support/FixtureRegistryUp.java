package io.jcompose.runtime.image.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Skips a {@code registry} test, saying why, when the anonymous fixture registry does not answer. */
public final class FixtureRegistryUp {
  /** The anonymous fixture registry ({@code fixtures/registry up}). */
  public static final String REGISTRY = "127.0.0.1:5000";

  private FixtureRegistryUp() {}

  public static void assume() throws InterruptedException {
    int status;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      status = http.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      status = -1;
    }
    assumeTrue(status == 200, "fixture registry " + REGISTRY + " is not up (start it with `fixtures/registry up`)");
  }
}
