package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One line of a {@code POST /build} stream (Docker's {@code jsonmessage.JSONMessage}), as the
 * classic builder writes it: its text in {@code stream} ({@code Step 1/3 : FROM busybox},
 * {@code  ---> Using cache}), pull progress in {@code status}/{@code id}/{@code progressDetail}
 * while a base image is fetched, the built image's id in {@code aux} ({@code {"ID":"sha256:..."}}),
 * a failure in {@code errorDetail} (its {@code code} is the failed RUN's exit status) and
 * {@code error}. The server writes it; the CLI reads it from jcomposed or a dockerd.
 *
 * @param stream builder output text, newlines included
 * @param status a pull status line
 * @param id the layer or image a status is about
 * @param progressDetail byte counts of a status
 * @param progress a rendered progress bar
 * @param errorDetail the failure, when the build failed
 * @param error the failure's message (legacy field)
 * @param aux extra data: {@code {"ID": "sha256:..."}} for the built image
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("progressDetail") ProgressMessage.ProgressDetail progressDetail,
        @JsonProperty("progress") String progress,
        @JsonProperty("errorDetail") ProgressMessage.ErrorDetail errorDetail,
        @JsonProperty("error") String error,
        @JsonProperty("aux") JsonNode aux) {

    /** Text for the client's output, as written (newlines included). */
    public static BuildMessage stream(String text) {
        return new BuildMessage(text, null, null, null, null, null, null, null);
    }

    /** The built image's id ({@code {"aux":{"ID":...}}}); the CLI's {@code --iidfile} and {@code -q} read it. */
    public static BuildMessage imageId(String id) {
        return new BuildMessage(null, null, null, null, null, null, null, JsonNodeFactory.instance.objectNode().put("ID", id));
    }

    /** An in-band error; {@code code} (null: none) becomes the {@code docker build} exit code. */
    public static BuildMessage error(String message, Integer code) {
        return new BuildMessage(null, null, null, null, null, new ProgressMessage.ErrorDetail(code, message), message, null);
    }

    /** The failure's message, or null when this line is no failure. */
    public String failure() {
        if (errorDetail != null && errorDetail.message() != null) {
            return errorDetail.message();
        }
        return error;
    }

    /** The image id an {@code aux} line carries ({@code {"ID": "sha256:..."}}), or null. */
    public String imageId() {
        if (aux == null || !aux.isObject()) {
            return null;
        }
        JsonNode id = aux.get("ID");
        return id == null || !id.isString() ? null : id.asString();
    }
}
