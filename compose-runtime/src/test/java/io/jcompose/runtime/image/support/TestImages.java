package io.jcompose.runtime.image.support;

import io.jcompose.runtime.image.manifest.MediaTypes;
import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.testsupport.RegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds images in code and pushes them to a registry with plain HTTP calls of the
 * Distribution API (independent of the client under test).
 */
public final class TestImages {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TestImages() {}

  /** A layer blob as pushed. */
  public record Layer(byte[] blob, String mediaType, Digest diffId) {
    public Digest digest() {
      return Digest.sha256(blob);
    }
  }

  public static Layer gzip(byte[] tar, boolean oci) {
    return new Layer(TarBuilder.gzip(tar),
        oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP, Digest.sha256(tar));
  }

  public static Layer zstd(byte[] tar) {
    return new Layer(TarBuilder.zstd(tar), MediaTypes.OCI_LAYER_ZSTD, Digest.sha256(tar));
  }

  public static Layer plain(byte[] tar) {
    return new Layer(tar, MediaTypes.OCI_LAYER, Digest.sha256(tar));
  }

  /** A pushed single-platform image. */
  public record Pushed(Digest manifestDigest, Digest configDigest, byte[] manifest, String mediaType,
      String architecture, List<Layer> layers) {}

  /** Image config JSON with a few runtime settings and the layers' diff ids. */
  public static byte[] config(String architecture, List<Layer> layers) {
    ObjectNode root = JSON.createObjectNode();
    root.put("architecture", architecture);
    root.put("os", "linux");
    root.put("created", "2024-01-02T03:04:05Z");
    ObjectNode c = root.putObject("config");
    c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").add("ARCH=" + architecture);
    c.putArray("Entrypoint").add("/entry.sh");
    c.putArray("Cmd").add("serve").add("--port=80");
    c.put("WorkingDir", "/srv");
    c.put("User", "1000:1000");
    c.putObject("ExposedPorts").putObject("80/tcp");
    c.putObject("Volumes").putObject("/data");
    c.putObject("Labels").put("org.opencontainers.image.title", "test-" + architecture);
    c.put("StopSignal", "SIGQUIT");
    ObjectNode hc = c.putObject("Healthcheck");
    hc.putArray("Test").add("CMD-SHELL").add("true");
    hc.put("Interval", 5_000_000_000L);
    hc.put("Retries", 3);
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.diffId().toString()));
    ArrayNode history = root.putArray("history");
    layers.forEach(l -> history.addObject().put("created_by", "ADD layer " + l.diffId().shortHex()));
    history.addObject().put("created_by", "CMD serve").put("empty_layer", true);
    return JSON.writeValueAsBytes(root);
  }

  /** Pushes layers, config and manifest; tags it {@code tag} (null: push by digest only). */
  public static Pushed push(Pusher p, String repo, String tag, String architecture, boolean oci,
      List<Layer> layers) throws IOException {
    byte[] config = config(architecture, layers);
    for (Layer l : layers) {
      p.putBlob(repo, l.blob());
    }
    p.putBlob(repo, config);
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    String mediaType = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
    m.put("mediaType", mediaType);
    ObjectNode cd = m.putObject("config");
    cd.put("mediaType", oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG);
    cd.put("digest", Digest.sha256(config).toString());
    cd.put("size", config.length);
    ArrayNode ls = m.putArray("layers");
    for (Layer l : layers) {
      ls.addObject().put("mediaType", l.mediaType()).put("digest", l.digest().toString())
          .put("size", l.blob().length);
    }
    byte[] manifest = JSON.writeValueAsBytes(m);
    Digest digest = Digest.sha256(manifest);
    p.putManifest(repo, tag != null ? tag : digest.toString(), manifest, mediaType);
    return new Pushed(digest, Digest.sha256(config), manifest, mediaType, architecture, layers);
  }

  /** Pushes an OCI index over already pushed images (with an attestation-like unknown entry). */
  public static Digest pushIndex(Pusher p, String repo, String tag, List<Pushed> images)
      throws IOException {
    ObjectNode idx = JSON.createObjectNode();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode ms = idx.putArray("manifests");
    for (Pushed i : images) {
      ObjectNode e = ms.addObject();
      e.put("mediaType", i.mediaType()).put("digest", i.manifestDigest().toString())
          .put("size", i.manifest().length);
      ObjectNode plat = e.putObject("platform").put("architecture", i.architecture()).put("os", "linux");
      if (i.architecture().equals("arm64")) {
        plat.put("variant", "v8");
      }
    }
    byte[] body = JSON.writeValueAsBytes(idx);
    p.putManifest(repo, tag, body, MediaTypes.OCI_INDEX);
    return Digest.sha256(body);
  }

  /** Raw pushes to a registry (monolithic uploads). */
  public record Pusher(String base, String authorization) {

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).build();

    public static Pusher anonymous(RegistryServer r) {
      return new Pusher(r.base(), null);
    }

    private HttpRequest.Builder req(URI uri) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri);
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      return b;
    }

    public void putBlob(String repo, byte[] blob) throws IOException {
      Digest d = Digest.sha256(blob);
      HttpResponse<String> start = send(req(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
          .POST(HttpRequest.BodyPublishers.noBody()));
      expect(start, 202);
      URI upload = start.uri().resolve(start.headers().firstValue("Location").orElseThrow());
      String sep = upload.getQuery() == null ? "?" : "&";
      expect(send(req(URI.create(upload + sep + "digest=" + URLEncoder.encode(d.toString(), StandardCharsets.UTF_8)))
          .header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))), 201);
    }

    public void putManifest(String repo, String ref, byte[] body, String mediaType) throws IOException {
      expect(send(req(URI.create(base + "/v2/" + repo + "/manifests/" + ref))
          .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body))), 201);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
      try {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    private static void expect(HttpResponse<String> r, int status) throws IOException {
      if (r.statusCode() != status) {
        throw new IOException(r.request().method() + " " + r.uri() + " answered " + r.statusCode()
            + ": " + r.body());
      }
    }
  }
}
