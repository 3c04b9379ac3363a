package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.model.BuildMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code POST /build} (classic builder stream) and {@code POST /build/prune}. */
public final class BuildRoutes {

    static final Set<String> PRUNE_FILTERS = Set.of("until", "id", "parent", "type", "description", "inuse", "shared", "private");

    private BuildRoutes() {}

    /** Registers the routes on {@code router}. */
    public static void register(Router r, BuildBackend builds) {
        r.add("POST", "/build", req -> {
            String remote = req.query("remote");
            if (remote != null && !remote.isEmpty()) {
                throw EngineApiException.notImplemented(
                        "remote build contexts are not supported by jcomposed; send the context as a tar");
            }
            BuildBackend.BuildOptions options = new BuildBackend.BuildOptions(
                    req.query().getOrDefault("t", List.of()).stream().filter(t -> !t.isEmpty()).toList(),
                    req.query("dockerfile"),
                    jsonMap(req, "buildargs"),
                    req.bool("nocache"),
                    req.bool("pull"),
                    req.query("target"),
                    jsonMap(req, "labels"),
                    req.query("networkmode"),
                    req.bool("q"),
                    req.query("platform"),
                    jsonMap(req, io.jcompose.runtime.api.model.ImageBuildOptions.NAMED_CONTEXTS),
                    runOptions(req));
            byte[] context = req.body();
            return JsonLineStream.<BuildMessage>of((sink, onClientGone) -> builds.build(options, context, sink, onClientGone),
                    m -> BuildMessage.error(m, null));
        });
        r.add("POST", "/build/prune", req -> ApiResponse.ok(builds.prune(req.bool("all"), req.filters(PRUNE_FILTERS), keepStorage(req))));
    }

    /**
     * What RUN containers get: byte and share counts as decimal integers (0 = unset), {@code ulimits}
     * as JSON, {@code extrahosts} repeated ({@code host:ip}).
     */
    static BuildBackend.RunParameters runOptions(ApiRequest req) {
        List<io.jcompose.runtime.api.model.HostConfig.Ulimit> ulimits = List.of();
        String u = req.query("ulimits");
        if (u != null && !u.isBlank() && !u.strip().equals("null")) { // the docker CLI sends null for none
            try {
                ulimits = List.of(Json.mapper().readValue(u, io.jcompose.runtime.api.model.HostConfig.Ulimit[].class));
            } catch (RuntimeException e) {
                throw EngineApiException.badRequest("invalid ulimits: not a JSON list of {\"Name\",\"Soft\",\"Hard\"}: " + u);
            }
        }
        return new BuildBackend.RunParameters(positive(req, "memory"), memswap(req), positive(req, "cpushares"),
                emptyToNull(req.query("cpusetcpus")), emptyToNull(req.query("cpusetmems")), positive(req, "cpuperiod"),
                positive(req, "cpuquota"), positive(req, "shmsize"), ulimits,
                req.query().getOrDefault("extrahosts", List.of()).stream().filter(h -> !h.isBlank()).toList());
    }

    /** {@code memswap}: -1 means unlimited swap, as in docker run. */
    private static Long memswap(ApiRequest req) {
        String v = req.query("memswap");
        if (v != null && v.strip().equals("-1")) {
            return -1L;
        }
        return positive(req, "memswap");
    }

    private static Long positive(ApiRequest req, String name) {
        String v = req.query(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n == 0 ? null : n;
        } catch (NumberFormatException e) {
            throw EngineApiException.badRequest("invalid " + name + ": not a non-negative integer: " + v);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code keep-storage} as the docker CLI sends it: bytes as a decimal integer (0 or absent: no limit). */
    static long keepStorage(ApiRequest req) {
        String v = req.query("keep-storage");
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw EngineApiException.badRequest("invalid keep-storage: not a number of bytes: " + v);
        }
    }

    /** A JSON object of strings ({@code buildargs}, {@code labels}); null values (docker-py sends them) are dropped. */
    static Map<String, String> jsonMap(ApiRequest req, String name) {
        String v = req.query(name);
        if (v == null || v.isBlank()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (var e : Json.mapper().readTree(v).properties()) {
                if (!e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
                }
            }
        } catch (RuntimeException e) {
            throw EngineApiException.badRequest("invalid " + name + ": not a JSON object of strings: " + v);
        }
        return out;
    }
}
