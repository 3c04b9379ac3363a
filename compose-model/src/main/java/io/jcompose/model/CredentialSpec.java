package io.jcompose.model;

import java.util.Map;

/**
 * Windows credential spec of a service (modelled for completeness; unused on Linux).
 *
 * @param config name of a config holding the spec
 * @param file spec file
 * @param registry registry value name
 * @param extensions {@code x-*} keys
 */
public record CredentialSpec(String config, String file, String registry, Map<String, Object> extensions) {
  public CredentialSpec {
    extensions = Extensions.freeze(extensions);
  }
}
