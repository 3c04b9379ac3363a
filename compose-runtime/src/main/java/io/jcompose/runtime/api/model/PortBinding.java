package io.jcompose.runtime.api.model;

/** A host side of a published port; an empty {@code HostPort} asks for a free one. */
public record PortBinding(String hostIp, String hostPort) {}
