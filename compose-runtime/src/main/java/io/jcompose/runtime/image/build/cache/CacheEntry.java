package io.jcompose.runtime.image.build.cache;

/**
 * What a cached step produced.
 *
 * @param key the step's cache key
 * @param diffId uncompressed digest of the layer it made, or null when it made none (ENV, ...)
 * @param blob digest of the compressed layer blob in the content store, or null
 * @param size compressed size of the blob
 * @param mediaType the blob's media type, or null
 * @param created when the step first ran (RFC 3339); a cache hit keeps it, as Docker does
 * @param lastUsed when the entry was last hit or written (RFC 3339), for pruning by age
 */
public record CacheEntry(
    String key, String diffId, String blob, long size, String mediaType, String created, String lastUsed) {

  /** Whether the step made a layer. */
  public boolean hasLayer() {
    return diffId != null;
  }
}
