package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code NetworkSettings} of inspect. {@code Ports} maps every exposed port, published or not
 * ({@code null}); the top-level address fields are the legacy ones kept below API 1.52.
 */
public record NetworkSettings(
        String bridge,
        @JsonProperty("SandboxID") String sandboxId,
        String sandboxKey,
        Map<String, List<PortBinding>> ports,
        @JsonProperty("EndpointID") String endpointId,
        String gateway,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
        String macAddress,
        Map<String, EndpointSettings> networks) {}
