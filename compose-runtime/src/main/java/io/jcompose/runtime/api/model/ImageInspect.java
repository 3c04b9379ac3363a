package io.jcompose.runtime.api.model;

import java.util.List;

/** {@code GET /images/{name}/json}; a 404 {@code No such image: <ref>} makes clients pull. */
public record ImageInspect(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String comment,
        String created,
        String author,
        ContainerConfig config,
        String architecture,
        String variant,
        String os,
        long size,
        @com.fasterxml.jackson.annotation.JsonProperty("RootFS") RootFs rootFs,
        Metadata metadata) {

    /** {@code RootFS}: {@code layers} type with diff IDs. */
    public record RootFs(String type, List<String> layers) {}

    public record Metadata(String lastTagTime) {}
}
