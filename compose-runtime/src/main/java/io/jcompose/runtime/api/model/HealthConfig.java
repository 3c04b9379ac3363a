package io.jcompose.runtime.api.model;

import java.util.List;

/**
 * {@code Config.Healthcheck}: {@code Test} is {@code ["NONE"]}, {@code ["CMD", args...]} or
 * {@code ["CMD-SHELL", command]}; durations are nanoseconds (0 = inherit/default).
 */
public record HealthConfig(List<String> test, Long interval, Long timeout, Long startPeriod, Long startInterval, Integer retries) {}
