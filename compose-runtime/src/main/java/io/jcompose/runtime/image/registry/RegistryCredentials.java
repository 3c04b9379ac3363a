package io.jcompose.runtime.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A username and password (or token) for one registry, as {@code docker login} stores them.
 *
 * @param username user name
 * @param password password or personal access token
 */
public record RegistryCredentials(String username, String password) {

  /** The value of an HTTP Basic {@code Authorization} header. */
  public String basicHeader() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A short one-way digest of both parts: tells credentials apart (e.g. in cache keys) without holding them. */
  public String fingerprint() {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest((username + "\0" + password).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***]";
  }
}
