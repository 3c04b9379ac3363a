package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One entry of {@code GET /images/json}; {@code Created} is Unix seconds. */
public record ImageSummary(
        String id,
        @JsonProperty("ParentId") String parentId,
        List<String> repoTags,
        List<String> repoDigests,
        long created,
        long size,
        long sharedSize,
        Map<String, String> labels,
        int containers) {}
