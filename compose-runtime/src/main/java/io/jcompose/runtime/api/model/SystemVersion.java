package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code GET /version}. */
public record SystemVersion(
        Platform platform,
        List<Component> components,
        String version,
        String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        String gitCommit,
        String goVersion,
        String os,
        String arch,
        String kernelVersion,
        boolean experimental,
        String buildTime) {

    /** {@code Platform.Name}, shown by {@code docker version}. */
    public record Platform(String name) {}

    /** One server component ({@code Engine}), with free-form details. */
    public record Component(String name, String version, Map<String, String> details) {}
}
