package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One line of a {@code POST /build} stream, as the classic builder writes it: {@code
 * {"stream":"Step 1/3 : FROM busybox"}}, {@code {"aux":{"ID":"sha256:..."}}}, or an error
 * {@code {"errorDetail":{"code":1,"message":...},"error":...}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("aux") Map<String, String> aux,
        @JsonProperty("errorDetail") ProgressMessage.ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    /** Text for the client's output, as written (newlines included). */
    public static BuildMessage stream(String text) {
        return new BuildMessage(text, null, null, null);
    }

    /** The built image's id ({@code {"aux":{"ID":...}}}); the CLI's {@code --iidfile} and {@code -q} read it. */
    public static BuildMessage imageId(String id) {
        return new BuildMessage(null, Map.of("ID", id), null, null);
    }

    /** An in-band error; {@code code} (null: none) becomes the {@code docker build} exit code. */
    public static BuildMessage error(String message, Integer code) {
        return new BuildMessage(null, null, new ProgressMessage.ErrorDetail(code, message), message);
    }
}
