package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /distribution/{name}/json}: what the registry holds under a reference, as Docker
 * answers it (the descriptor's fields are OCI's lower-case names, the rest Docker's).
 *
 * @param descriptor the manifest or index the reference names
 * @param platforms the platforms it offers
 */
public record DistributionInspect(
        @JsonProperty("Descriptor") Descriptor descriptor, @JsonProperty("Platforms") List<Platform> platforms) {

    /** An OCI descriptor. */
    public record Descriptor(
            @JsonProperty("mediaType") String mediaType, @JsonProperty("digest") String digest, @JsonProperty("size") long size) {}

    /** An OCI platform. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Platform(
            @JsonProperty("architecture") String architecture, @JsonProperty("os") String os,
            @JsonProperty("variant") String variant) {}
}
