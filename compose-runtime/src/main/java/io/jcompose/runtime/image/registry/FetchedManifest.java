package io.jcompose.runtime.image.registry;

import io.jcompose.runtime.image.manifest.Manifest;
import io.jcompose.runtime.image.reference.Digest;

/**
 * A manifest or index as a registry served it, verified against its digest.
 *
 * @param digest sha256 of {@code bytes}
 * @param mediaType the manifest's media type
 * @param bytes the exact bytes (the digest covers these, so they are kept as they came)
 * @param manifest the parsed form
 */
public record FetchedManifest(Digest digest, String mediaType, byte[] bytes, Manifest manifest) {}
