package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code Mounts[]} of inspect and list (Compose 1.29 matches {@code Destination}). */
public record MountPoint(
        String type,
        String name,
        String source,
        String destination,
        String driver,
        String mode,
        @JsonProperty("RW") boolean rw,
        String propagation) {}
