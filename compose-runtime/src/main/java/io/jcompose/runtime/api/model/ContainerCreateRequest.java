package io.jcompose.runtime.api.model;

/**
 * {@code POST /containers/create?name=&platform=}: on the wire the {@link ContainerConfig} fields
 * sit at the top level next to {@code HostConfig} and {@code NetworkingConfig}.
 *
 * @param name the {@code name} query parameter (null: generated)
 * @param platform the {@code platform} query parameter, e.g. {@code linux/amd64}
 */
public record ContainerCreateRequest(String name, String platform, ContainerConfig config, HostConfig hostConfig, NetworkingConfig networkingConfig) {}
