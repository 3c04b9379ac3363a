package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One {@code GET /events} line. The legacy {@code status}, {@code id} and {@code from} are set on
 * container and image events (Compose 1.29 reads them; moby dropped them at API 1.52).
 */
public record EventMessage(
        @JsonProperty("status") @JsonInclude(JsonInclude.Include.NON_NULL) String status,
        @JsonProperty("id") @JsonInclude(JsonInclude.Include.NON_NULL) String id,
        @JsonProperty("from") @JsonInclude(JsonInclude.Include.NON_NULL) String from,
        String type,
        String action,
        Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    /** The object an event is about: its ID and attributes (labels, {@code name}, {@code image}, ...). */
    public record Actor(@JsonProperty("ID") String id, Map<String, String> attributes) {}
}
