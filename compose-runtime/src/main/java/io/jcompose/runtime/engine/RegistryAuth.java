package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.image.registry.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Docker's {@code AuthConfig} JSON, as clients send it in {@code X-Registry-Auth} (decoded) and
 * the body of {@code POST /auth}: {@code username}/{@code password}, or {@code auth} (base64
 * {@code user:password}), plus {@code serveraddress}. An empty object means "no credentials".
 */
record RegistryAuth(RegistryCredentials credentials, String serverAddress) {

    /** No credentials: the engine's configured ones apply. */
    static final RegistryAuth NONE = new RegistryAuth(null, "");

    /**
     * Parses the JSON; null or blank is {@link #NONE}.
     *
     * @throws EngineApiException 400 for JSON that is not an AuthConfig
     */
    static RegistryAuth parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw EngineApiException.badRequest("invalid registry credentials: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw EngineApiException.badRequest("invalid registry credentials: not a JSON object");
        }
        String server = text(n, "serveraddress");
        String user = text(n, "username");
        String password = text(n, "password");
        String auth = text(n, "auth");
        if (user.isEmpty() && password.isEmpty() && !auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw EngineApiException.badRequest("invalid registry credentials: \"auth\" is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                user = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        if (user.isEmpty() || password.isEmpty()) {
            return new RegistryAuth(null, server);
        }
        return new RegistryAuth(new RegistryCredentials(user, password), server);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isString() ? v.stringValue() : "";
    }
}
