package io.jcompose.runtime.image;

import io.jcompose.runtime.image.manifest.Platform;
import io.jcompose.runtime.image.reference.Digest;
import io.jcompose.runtime.image.reference.ImageReference;
import java.util.List;

/**
 * An image in the local store.
 *
 * @param id the image id: the digest of its config (as Docker's image ids are)
 * @param manifestDigest the single-platform manifest it was pulled with
 * @param manifestMediaType that manifest's media type
 * @param layers the compressed layer blobs, base first
 * @param repoTags canonical tagged names, e.g. {@code docker.io/library/redis:7}
 * @param repoDigests canonical digested names ({@code repo@sha256:...}: the index digest for
 *     multi-platform images, as Docker shows them)
 * @param platform the platform of the image
 * @param size bytes of file content of all layers unpacked
 * @param created the config's creation time, or {@code null}
 */
public record Image(
    Digest id,
    Digest manifestDigest,
    String manifestMediaType,
    List<Digest> layers,
    List<String> repoTags,
    List<String> repoDigests,
    Platform platform,
    long size,
    String created) {

  public Image {
    layers = List.copyOf(layers);
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }

  /** The tags as Docker shows them ({@code redis:7}, {@code host:5000/app:1}). */
  public List<String> familiarRepoTags() {
    return repoTags.stream().map(t -> ImageReference.parse(t).familiar()).toList();
  }

  /** The digests as Docker shows them ({@code redis@sha256:...}). */
  public List<String> familiarRepoDigests() {
    return repoDigests.stream().map(t -> ImageReference.parse(t).familiar()).toList();
  }

  Image withNames(List<String> tags, List<String> digests) {
    return new Image(id, manifestDigest, manifestMediaType, layers, tags, digests, platform, size,
        created);
  }
}
