package io.jcompose.runtime.image.registry;

import java.io.InputStream;

/**
 * An open blob download.
 *
 * @param body the bytes, starting at {@code start}; the caller closes it
 * @param start the offset the registry actually started at: the requested one when it honoured
 *     the {@code Range} request, else 0
 */
public record BlobStream(InputStream body, long start) {}
