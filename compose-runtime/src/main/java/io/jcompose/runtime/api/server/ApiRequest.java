package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * One decoded API request, handed to a route's handler.
 *
 * @param method upper-case HTTP method
 * @param path the path without the {@code /vX.Y} prefix and without the query
 * @param version the API version the client asked for (capped at {@link ApiVersion#MAX}; the max
 *     for bare paths)
 * @param query decoded query parameters
 * @param pathParams the values of the route's {@code {name}} placeholders
 * @param headers request headers, names lower-cased
 * @param body the request body, empty when none
 */
public record ApiRequest(
        String method,
        String path,
        ApiVersion version,
        Map<String, List<String>> query,
        Map<String, String> pathParams,
        Map<String, String> headers,
        byte[] body) {

    /** A path parameter, e.g. {@code id} of {@code /containers/{id}/json}. */
    public String param(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** A query parameter with a default when absent. */
    public String query(String name, String dflt) {
        String v = query(name);
        return v == null ? dflt : v;
    }

    /** True if the parameter is present at all (even empty). */
    public boolean hasQuery(String name) {
        return query.containsKey(name);
    }

    /**
     * A boolean query parameter read as moby does: {@code "", 0, no, false, none} (any case) are
     * false, everything else is true; an absent parameter is false.
     */
    public boolean bool(String name) {
        String v = query(name);
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            default -> true;
        };
    }

    /** A boolean query parameter with a default when absent. */
    public boolean bool(String name, boolean dflt) {
        return hasQuery(name) ? bool(name) : dflt;
    }

    /** An integer query parameter; 400 if it is not a number. */
    public Integer integer(String name) {
        String v = query(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw EngineApiException.badRequest("invalid value for " + name + ": " + v);
        }
    }

    /** The {@code filters} parameter in either wire form; 400 if it is malformed. */
    public Filters filters() {
        try {
            return Filters.parse(query("filters"));
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
    }

    /** The {@code filters} parameter, limited to the keys an endpoint knows (400 {@code invalid filter 'x'} otherwise). */
    public Filters filters(java.util.Set<String> accepted) {
        try {
            return filters().validate(accepted);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
    }

    /** A header value (case-insensitive name), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The JSON body as {@code type}; null for an empty body (docker-py starts containers without
     * one). 400 if the JSON is malformed.
     */
    public <T> T body(Class<T> type) {
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (JacksonException e) {
            throw EngineApiException.badRequest("invalid JSON body: " + e.getOriginalMessage());
        }
    }

    /** True if the client asked for an upgrade to a raw stream ({@code Upgrade: tcp}). */
    public boolean wantsUpgrade() {
        String c = header("connection");
        return c != null && c.toLowerCase(Locale.ROOT).contains("upgrade") && header("upgrade") != null;
    }

    /** True if the request's API version is below {@code v}. */
    public boolean versionBelow(ApiVersion v) {
        return version.lessThan(v);
    }
}
