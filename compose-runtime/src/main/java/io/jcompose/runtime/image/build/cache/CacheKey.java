package io.jcompose.runtime.image.build.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cache key of one build step: what the step starts from, what it does and what it reads.
 * Two steps with equal keys produce the same result, so the second can reuse the first's layer.
 *
 * <p>Inputs, each a field of the digest: the parent key (the base image id for a stage's first
 * step, else the previous step's key), the platform, the instruction after variable
 * substitution, the build args the step can see (RUN sees every ARG of the stage as an
 * environment variable, which is why changing one re-runs later RUNs, as in Docker), the
 * content checksum of the files COPY/ADD read ({@code BuildContext#checksum}), and for {@code
 * COPY --from} the source stage's result.
 */
public record CacheKey(String value) {

  /** Builder of a key; fields are added in a fixed order by the caller. */
  public static final class Builder {
    private final MessageDigest digest;

    private Builder() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private Builder field(String name, String value) {
      // length-prefixed so that no two field lists can hash alike
      String v = value == null ? "\0" : value;
      digest.update((name + ":" + v.length() + ":" + v + "\n").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** The instruction as it runs, after variable substitution ({@code RUN pip install ...}). */
    public Builder instruction(String text) {
      return field("instruction", text);
    }

    /** Build args visible to the step; order does not matter. */
    public Builder args(Map<String, String> args) {
      new TreeMap<>(args).forEach((k, v) -> field("arg " + k, v));
      return this;
    }

    /** The content checksum of the files a COPY/ADD reads. */
    public Builder files(String checksum) {
      return field("files", checksum);
    }

    /** The result (cache key or image id) of the stage or image a COPY --from reads. */
    public Builder from(String source) {
      return field("from", source);
    }

    /** Any other input that changes the result (e.g. {@code chown 1000:1000}). */
    public Builder extra(String name, String value) {
      return field("extra " + name, value);
    }

    /** The finished key. */
    public CacheKey build() {
      return new CacheKey("sha256:" + HexFormat.of().formatHex(digest.digest()));
    }
  }

  /**
   * Starts a key.
   *
   * @param parent the previous step's key, or the base image id ({@code scratch} for none)
   * @param platform the platform built for ({@code linux/amd64})
   */
  public static Builder after(String parent, String platform) {
    return new Builder().field("parent", parent).field("platform", platform);
  }

  /** The hex part, used as a file name. */
  public String hex() {
    return value.substring("sha256:".length());
  }

  @Override
  public String toString() {
    return value;
  }
}
