package io.jcompose.runtime.api;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the Engine API, shared by server and client.
 *
 * <p>It reads the way Go's {@code encoding/json} does (what moby uses): property names match
 * case-insensitively and unknown properties are ignored. Record components are written in Docker's
 * UpperCamelCase ({@code createdAt} becomes {@code CreatedAt}); the few names Docker spells
 * otherwise ({@code OSType}, {@code ID}, the lower-case event fields) carry an explicit
 * {@code @JsonProperty}.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Go's strslice: "Cmd": "echo hi" is read as ["echo hi"]
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /**
     * The same, but leaving out null properties: request bodies the client sends. Built on first
     * use (a holder class): a client that only reads, e.g. a test JVM whose {@code up} runs in the
     * CLI server, never pays for a second mapper.
     */
    private static final class Requests {
        static final JsonMapper MAPPER = Json.MAPPER.rebuild()
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
                .build();
    }

    private Json() {}

    /** The mapper for request bodies: nulls left out, so only what the caller set is sent. */
    public static JsonMapper requests() {
        return Requests.MAPPER;
    }

    /** The shared, thread-safe mapper. */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
