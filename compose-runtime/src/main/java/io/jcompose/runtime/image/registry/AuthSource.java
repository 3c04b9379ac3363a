package io.jcompose.runtime.image.registry;

import java.util.Optional;

/** Where the registry client finds credentials for a registry host. */
@FunctionalInterface
public interface AuthSource {

  /** No credentials anywhere: anonymous pulls only. */
  AuthSource ANONYMOUS = host -> Optional.empty();

  /**
   * Credentials for {@code registryHost} ({@code host[:port]}, {@code docker.io} for Docker Hub).
   */
  Optional<RegistryCredentials> lookup(String registryHost);
}
