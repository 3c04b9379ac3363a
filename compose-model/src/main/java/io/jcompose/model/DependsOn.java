package io.jcompose.model;

import java.util.Map;

/**
 * One {@code depends_on} entry in long form. The list form {@code depends_on: [db]} is
 * normalised to {@code condition: service_started, required: true}.
 *
 * @param condition what to wait for: {@link #SERVICE_STARTED}, {@link #SERVICE_HEALTHY} or
 *     {@link #SERVICE_COMPLETED_SUCCESSFULLY}
 * @param restart whether to restart this service when the dependency is updated
 * @param extensions {@code x-*} keys
 * @param required whether a missing dependency is an error (false: only a warning)
 */
public record DependsOn(String condition, boolean restart, Map<String, Object> extensions, @Always boolean required) {
  /** Wait until the dependency's container has started (the default). */
  public static final String SERVICE_STARTED = "service_started";
  /** Wait until the dependency's health check passes. */
  public static final String SERVICE_HEALTHY = "service_healthy";
  /** Wait until the dependency has exited with status 0. */
  public static final String SERVICE_COMPLETED_SUCCESSFULLY = "service_completed_successfully";

  public DependsOn {
    extensions = Extensions.freeze(extensions);
  }
}
