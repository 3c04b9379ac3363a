package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /exec/{id}/json}: {@code ExitCode} must be set before the exec's stream closes. */
public record ExecInspect(
        @JsonProperty("ID") String id,
        boolean running,
        Integer exitCode,
        ProcessConfig processConfig,
        boolean openStdin,
        boolean openStderr,
        boolean openStdout,
        boolean canRemove,
        @JsonProperty("ContainerID") String containerId,
        String detachKeys,
        long pid) {

    /** Lower-case on the wire, as in Docker. */
    public record ProcessConfig(
            @JsonProperty("tty") boolean tty,
            @JsonProperty("entrypoint") String entrypoint,
            @JsonProperty("arguments") List<String> arguments,
            @JsonProperty("privileged") boolean privileged,
            @JsonProperty("user") String user) {}
}
