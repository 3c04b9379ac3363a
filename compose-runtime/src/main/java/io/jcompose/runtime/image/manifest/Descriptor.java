package io.jcompose.runtime.image.manifest;

import io.jcompose.runtime.image.reference.Digest;
import java.util.Optional;

/**
 * A pointer to content by digest, as in manifests and indexes.
 *
 * @param mediaType what the content is
 * @param digest the content's sha256 digest
 * @param size the content's exact length in bytes
 * @param platform for entries of an index: the platform, or {@code null}
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform) {

  public Descriptor {
    if (size < 0) {
      throw new ManifestException("descriptor " + digest + " has a negative size");
    }
  }

  /** A descriptor without platform. */
  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null);
  }

  public Optional<Platform> platformIfAny() {
    return Optional.ofNullable(platform);
  }
}
