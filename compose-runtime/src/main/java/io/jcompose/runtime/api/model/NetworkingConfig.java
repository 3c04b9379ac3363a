package io.jcompose.runtime.api.model;

import java.util.Map;

/** {@code NetworkingConfig} of create: network name → endpoint settings (all networks at ≥ 1.44). */
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {}
