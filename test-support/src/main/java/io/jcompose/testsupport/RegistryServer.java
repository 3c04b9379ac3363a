package io.jcompose.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code docker-registry} (distribution 2.8) on a free loopback port with its
 * storage in a temp dir, for tests. Optionally with htpasswd basic auth or token auth. Stopped
 * (by its PID) in {@link #close()}.
 */
public final class RegistryServer implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Process process;
  private final int port;
  private final Path dir;

  private RegistryServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Skips the test (with the reason) if the registry binary is not installed. */
  public static void assumeInstalled() {
    assumeTrue(Files.isExecutable(BINARY),
        "needs Debian's docker-registry (apt-get install docker-registry)");
  }

  public static RegistryServer anonymous(Path dir) throws IOException {
    return start(dir, "");
  }

  /** Basic auth with an htpasswd (bcrypt, made by {@code htpasswd -B}) file. */
  public static RegistryServer basicAuth(Path dir, String user, String password) throws IOException {
    Path htpasswd = dir.resolve("htpasswd");
    Process p = new ProcessBuilder("htpasswd", "-Bbc", htpasswd.toString(), user, password).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("htpasswd failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return start(dir, """
        auth:
          htpasswd:
            realm: jcompose-test
            path: %s
        """.formatted(htpasswd));
  }

  /** Token auth: the registry trusts tokens signed by {@code certPem}'s key, issued by realm. */
  public static RegistryServer tokenAuth(Path dir, String realm, String service, String issuer,
      Path certPem) throws IOException {
    return start(dir, """
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        """.formatted(realm, service, issuer, certPem));
  }

  private static RegistryServer start(Path dir, String authYaml) throws IOException {
    assumeInstalled();
    int port = freePort();
    Path data = Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        %s""".formatted(data, port, authYaml));
    Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    RegistryServer server = new RegistryServer(p, port, dir);
    try {
      server.awaitReady();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws IOException {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
        }
        try {
          int status = http.send(HttpRequest.newBuilder(URI.create(base() + "/v2/")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200 || status == 401) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    throw new IOException("docker-registry did not start on port " + port);
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public String base() {
    return "http://" + host();
  }

  /** The blob files on the registry's disk (to corrupt or inspect). */
  public Path blobData(String hex) {
    return dir.resolve("data/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
