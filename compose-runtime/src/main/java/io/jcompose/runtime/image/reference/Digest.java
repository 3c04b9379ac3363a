package io.jcompose.runtime.image.reference;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex>}. Only sha256 is accepted for content we
 * store (it is what every registry and Docker use); other algorithms are rejected with a clear
 * error rather than silently trusted.
 *
 * @param algorithm always {@code sha256}
 * @param hex the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String hex) {

  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

  public Digest {
    if (!"sha256".equals(algorithm)) {
      throw new InvalidReferenceException(
          "unsupported digest algorithm \"" + algorithm + "\" (only sha256 is supported)");
    }
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw new InvalidReferenceException(
          "invalid sha256 digest \"" + hex + "\": expected 64 lower-case hex characters");
    }
  }

  /** Parses {@code sha256:<hex>}. */
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new InvalidReferenceException(
          "invalid digest \"" + text + "\": expected the form sha256:<64 hex characters>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(bytes)));
  }

  /** The digest a finished {@link MessageDigest} (sha256) has computed. */
  public static Digest of(MessageDigest finished) {
    return new Digest("sha256", HexFormat.of().formatHex(finished.digest()));
  }

  /** A fresh sha256 {@link MessageDigest}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The first 12 hex characters, as Docker shows short ids. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
