package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code POST /networks/create}; 409 on a duplicate name ({@code CheckDuplicate} is legacy). */
public record NetworkCreateRequest(
        String name,
        Boolean checkDuplicate,
        String driver,
        String scope,
        Boolean internal,
        Boolean attachable,
        Boolean ingress,
        @JsonProperty("EnableIPv6") Boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        Map<String, String> options,
        Map<String, String> labels) {}
