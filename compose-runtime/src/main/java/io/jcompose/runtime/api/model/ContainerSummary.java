package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One entry of {@code GET /containers/json}. */
public record ContainerSummary(
        String id,
        List<String> names,
        String image,
        @JsonProperty("ImageID") String imageId,
        String command,
        long created,
        List<Port> ports,
        @JsonProperty("SizeRw") @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRw,
        @JsonProperty("SizeRootFs") @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRootFs,
        Map<String, String> labels,
        String state,
        String status,
        SummaryHostConfig hostConfig,
        SummaryNetworkSettings networkSettings,
        List<MountPoint> mounts) {

    /** A port: {@code PublicPort} and {@code IP} only when published. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Port(@JsonProperty("IP") String ip, int privatePort, Integer publicPort, String type) {}

    public record SummaryHostConfig(String networkMode) {}

    public record SummaryNetworkSettings(Map<String, EndpointSettings> networks) {}
}
