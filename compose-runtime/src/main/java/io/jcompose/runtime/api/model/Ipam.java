package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code IPAM} of a network (create and inspect). */
public record Ipam(String driver, Map<String, String> options, List<Config> config) {

    /** One subnet. */
    public record Config(
            String subnet,
            @JsonProperty("IPRange") String ipRange,
            String gateway,
            Map<String, String> auxiliaryAddresses) {}
}
