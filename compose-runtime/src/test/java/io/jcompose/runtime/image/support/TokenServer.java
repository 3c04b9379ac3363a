package io.jcompose.runtime.image.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny real token service (the Docker registry token protocol) on loopback: checks Basic
 * credentials and issues RS256 JWTs signed with a key whose self-signed certificate the registry
 * trusts ({@code auth: token: rootcertbundle}).
 */
public final class TokenServer implements AutoCloseable {

  public static final String SERVICE = "jcompose-test-registry";
  public static final String ISSUER = "jcompose-test-issuer";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final PrivateKey key;
  private final String certDer;
  private final Path certPem;
  private final String user;
  private final String password;
  private final List<String> scopes = new CopyOnWriteArrayList<>();

  public TokenServer(Path dir, String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    Path keyPem = dir.resolve("token.key");
    certPem = dir.resolve("token.crt");
    Root.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=jcompose-test-token", "-keyout", keyPem.toString(), "-out", certPem.toString()));
    Path keyDer = dir.resolve("token.key.der");
    Root.run(List.of("openssl", "pkcs8", "-topk8", "-nocrypt", "-inform", "PEM", "-outform", "DER",
        "-in", keyPem.toString(), "-out", keyDer.toString()));
    key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyDer)));
    X509Certificate cert;
    try (var in = Files.newInputStream(certPem)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    certDer = Base64.getEncoder().encodeToString(cert.getEncoded());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  public Path certPem() {
    return certPem;
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The scopes asked for, in order. */
  public List<String> scopes() {
    return scopes;
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      String expected = "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.sendResponseHeaders(401, -1);
        return;
      }
      String scope = q.getOrDefault("scope", "");
      scopes.add(scope);
      String[] parts = scope.split(":");
      String jwt = mint(parts.length == 3 ? parts[1] : "", parts.length == 3 ? parts[2].split(",") : new String[0]);
      byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("token", jwt).put("expires_in", 300));
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** A signed token granting {@code actions} on {@code repository}. */
  public String mint(String repository, String... actions) throws Exception {
    ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
    header.putArray("x5c").add(certDer);
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims = JSON.createObjectNode()
        .put("iss", ISSUER).put("sub", user).put("aud", SERVICE)
        .put("exp", now + 300).put("nbf", now - 10).put("iat", now)
        .put("jti", UUID.randomUUID().toString());
    ObjectNode access = claims.putArray("access").addObject()
        .put("type", "repository").put("name", repository);
    var acts = access.putArray("actions");
    for (String a : actions) {
      acts.add(a);
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + b64.encodeToString(JSON.writeValueAsBytes(claims));
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(key);
    sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64.encodeToString(sig.sign());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
