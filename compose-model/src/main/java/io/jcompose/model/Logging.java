package io.jcompose.model;

import java.util.Map;

/**
 * The {@code logging} section of a service.
 *
 * @param driver log driver, or {@code null} for the engine's default
 * @param options driver options
 * @param extensions {@code x-*} keys
 */
public record Logging(String driver, Map<String, String> options, Map<String, Object> extensions) {
  public Logging {
    options = Extensions.freeze(options);
    extensions = Extensions.freeze(extensions);
  }
}
