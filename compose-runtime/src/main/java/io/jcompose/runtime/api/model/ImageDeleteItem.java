package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One line of {@code DELETE /images/{name}}: either {@code Untagged} or {@code Deleted}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDeleteItem(String untagged, String deleted) {}
