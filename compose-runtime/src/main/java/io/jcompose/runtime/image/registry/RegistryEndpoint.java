package io.jcompose.runtime.image.registry;

import java.net.URI;

/**
 * One place a repository can be fetched from.
 *
 * @param base {@code scheme://host[:port]} of the registry API
 * @param credentialsKey the host credentials are looked up under
 * @param path the repository path at this endpoint, e.g. {@code library/busybox}
 * @param mirror whether this is a Docker Hub mirror (failures fall through to the next endpoint)
 */
public record RegistryEndpoint(URI base, String credentialsKey, String path, boolean mirror) {

  /** The URI of {@code /v2/<path>/<kind>/<reference>}. */
  URI uri(String kind, String reference) {
    String b = base.toString();
    if (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + "/v2/" + path + "/" + kind + "/" + reference);
  }

  /** {@code host:port} for messages. */
  String display() {
    return base.getAuthority();
  }
}
