package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.ApiVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers moby's version middleware puts on every response: {@code Server},
 * {@code Api-Version} and {@code Ostype}.
 *
 * @param engineVersion the engine version reported as {@code Version} in {@code /version}
 */
public record ServerHeaders(String engineVersion) {

    /** The headers, in the order they are written. */
    public Map<String, String> asMap() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Server", "Docker/" + engineVersion + " (linux)");
        h.put("Api-Version", ApiVersion.MAX.toString());
        h.put("Ostype", "linux");
        return h;
    }
}
