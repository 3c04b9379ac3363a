package io.jcompose.runtime.image.build.executor;

import java.nio.file.Path;

/**
 * A layer a build wrote: a gzip-compressed tar on disk, not yet in the content store.
 *
 * @param file the compressed blob
 * @param diffId sha256 of the uncompressed tar ({@code rootfs.diff_ids})
 * @param digest sha256 of the compressed blob (the manifest's layer digest)
 * @param size compressed size in bytes
 */
public record LayerBlob(Path file, String diffId, String digest, long size) {
  /** The media type the blob is stored under. */
  public static final String MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
}
