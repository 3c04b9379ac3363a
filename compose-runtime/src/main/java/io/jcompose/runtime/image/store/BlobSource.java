package io.jcompose.runtime.image.store;

import io.jcompose.runtime.image.registry.BlobStream;
import java.io.IOException;

/** Opens a blob's bytes from an offset; the registry client's {@code openBlob} is one. */
@FunctionalInterface
public interface BlobSource {
  /**
   * @param offset the first byte wanted
   * @return the stream and the offset it really starts at (0 if the source cannot seek)
   * @throws IOException on a transient failure (the store retries)
   */
  BlobStream open(long offset) throws IOException;
}
