package io.jcompose.runtime.api.model;

import java.util.Map;

/** {@code POST /volumes/create} body; an empty {@code Name} asks for an anonymous volume. */
public record VolumeCreateRequest(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {}
