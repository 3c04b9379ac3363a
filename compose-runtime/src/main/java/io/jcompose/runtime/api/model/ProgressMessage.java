package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a pull/push progress stream (lower-case fields). End a pull like Docker,
 * {@code Status: Downloaded newer image for <ref>} or {@code Status: Image is up to date for <ref>}:
 * docker-java judges success by the last status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressMessage(
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("progressDetail") ProgressDetail progressDetail,
        @JsonProperty("progress") String progress,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error,
        @JsonProperty("aux") Object aux) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProgressDetail(@JsonProperty("current") Long current, @JsonProperty("total") Long total) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorDetail(@JsonProperty("code") Integer code, @JsonProperty("message") String message) {}

    /** A status line, optionally about one layer. */
    public static ProgressMessage status(String id, String status) {
        return new ProgressMessage(status, id, null, null, null, null, null);
    }

    /** An in-band error (after the stream began). */
    public static ProgressMessage error(String message) {
        return new ProgressMessage(null, null, null, null, new ErrorDetail(null, message), message, null);
    }
}
