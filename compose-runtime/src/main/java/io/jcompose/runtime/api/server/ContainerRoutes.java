package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.model.ArchiveStat;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecStartRequest;
import io.jcompose.runtime.api.model.HostConfig;
import io.jcompose.runtime.api.model.IdResponse;
import io.jcompose.runtime.api.model.NetworkingConfig;
import io.jcompose.runtime.api.model.WaitResponse;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code /containers/...} and {@code /exec/...}: parse, validate, delegate to {@link ContainerBackend}. */
public final class ContainerRoutes {

    static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    static final Set<String> LIST_FILTERS = Set.of("ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label",
            "name", "network", "publish", "since", "status", "volume");
    static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");
    static final Set<String> CONDITIONS = Set.of("not-running", "next-exit", "removed");
    static final String RAW = "application/vnd.docker.raw-stream";
    static final String MUX = "application/vnd.docker.multiplexed-stream";

    private ContainerRoutes() {}

    /** Registers the routes on {@code router}. */
    public static void register(Router r, ContainerBackend c) {
        r.add("GET", "/containers/json", req -> ApiResponse.ok(c.list(listOptions(req))));
        r.add("POST", "/containers/create", req -> ApiResponse.created(c.create(createRequest(req))));
        r.add("POST", "/containers/prune", req -> ApiResponse.ok(c.prune(req.filters())));
        r.add("GET", "/containers/{id}/json", req -> ApiResponse.ok(c.inspect(req.param("id"), req.bool("size"))));
        r.add("GET", "/containers/{id}/top", req -> ApiResponse.ok(c.top(req.param("id"), req.query("ps_args", ""))));
        r.add("GET", "/containers/{id}/logs", req -> logs(req, c));
        r.add("GET", "/containers/{id}/stats", req -> stats(req, c));
        r.add("POST", "/containers/{id}/start", req -> {
            c.start(req.param("id"));
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/stop", req -> {
            c.stop(req.param("id"), req.integer("t"), req.query("signal"));
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/restart", req -> {
            c.restart(req.param("id"), req.integer("t"), req.query("signal"));
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/kill", req -> {
            c.kill(req.param("id"), req.query("signal", "SIGKILL"));
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/pause", req -> {
            c.pause(req.param("id"));
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/unpause", req -> {
            c.unpause(req.param("id"));
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/rename", req -> {
            String name = req.query("name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw EngineApiException.badRequest("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            }
            c.rename(req.param("id"), name);
            return ApiResponse.noContent();
        });
        r.add("POST", "/containers/{id}/resize", req -> {
            c.resize(req.param("id"), dim(req, "h"), dim(req, "w"));
            return new ApiResponse.NoBody(200);
        });
        r.add("POST", "/containers/{id}/wait", req -> {
            String condition = req.query("condition", "not-running");
            if (condition.isEmpty()) {
                condition = "not-running";
            }
            if (!CONDITIONS.contains(condition)) {
                throw EngineApiException.badRequest("invalid condition: \"" + condition + "\"");
            }
            var result = c.waitFor(req.param("id"), condition); // 404 now, before the headers
            // headers go out at once: the CLI waits for them before it starts the container (§3.4)
            return new ApiResponse.Stream(200, "application/json", out -> {
                WaitResponse w;
                try {
                    w = result.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    w = new WaitResponse(-1, new WaitResponse.WaitError(String.valueOf(e.getCause().getMessage())));
                }
                out.writeJsonLine(w);
            });
        });
        r.addHijacking("POST", "/containers/{id}/attach", req -> {
            var session = c.attach(req.param("id"), new ContainerBackend.AttachOptions(req.bool("stream"), req.bool("stdin"),
                    req.bool("stdout"), req.bool("stderr"), req.bool("logs"), req.query("detachKeys")));
            return hijack(req, session);
        });
        r.add("DELETE", "/containers/{id}", req -> {
            c.remove(req.param("id"), req.bool("force"), req.bool("v"), req.bool("link"));
            return ApiResponse.noContent();
        });
        r.add("HEAD", "/containers/{id}/archive", req -> new ApiResponse.WithHeaders(new ApiResponse.NoBody(200),
                Map.of("X-Docker-Container-Path-Stat", statHeader(c.archiveStat(req.param("id"), archivePath(req))))));
        r.add("GET", "/containers/{id}/archive", req -> {
            String id = req.param("id");
            String path = archivePath(req);
            ArchiveStat stat = c.archiveStat(id, path);
            return new ApiResponse.WithHeaders(new ApiResponse.Stream(200, "application/x-tar", out -> c.archiveGet(id, path, asStream(out))),
                    Map.of("X-Docker-Container-Path-Stat", statHeader(stat)));
        });
        r.add("PUT", "/containers/{id}/archive", req -> {
            c.archivePut(req.param("id"), archivePath(req), new ByteArrayInputStream(req.body()), req.bool("noOverwriteDirNonDir"),
                    req.bool("copyUIDGID"));
            return new ApiResponse.NoBody(200);
        });

        r.add("POST", "/containers/{id}/exec", req -> {
            ExecCreateRequest body = req.body(ExecCreateRequest.class);
            if (body == null || body.cmd() == null || body.cmd().isEmpty()) {
                throw EngineApiException.badRequest("No exec command specified");
            }
            IdResponse id = c.execCreate(req.param("id"), body);
            return ApiResponse.created(new IdResponse(id.id(), null)); // exec create answers only {"Id"}
        });
        r.addHijacking("POST", "/exec/{id}/start", req -> {
            ExecStartRequest body = req.body(ExecStartRequest.class);
            if (body == null) {
                body = new ExecStartRequest(false, false, null);
            }
            if (Boolean.TRUE.equals(body.detach())) {
                c.execStartDetached(req.param("id"), body);
                return new ApiResponse.NoBody(200);
            }
            return hijack(req, c.execStart(req.param("id"), body));
        });
        r.add("POST", "/exec/{id}/resize", req -> {
            c.execResize(req.param("id"), dim(req, "h"), dim(req, "w"));
            return new ApiResponse.NoBody(200);
        });
        r.add("GET", "/exec/{id}/json", req -> ApiResponse.ok(c.execInspect(req.param("id"))));
    }

    static ContainerBackend.ListOptions listOptions(ApiRequest req) {
        Filters f = req.filters(LIST_FILTERS);
        for (String s : f.get("status")) {
            if (!STATUSES.contains(s)) {
                throw EngineApiException.badRequest("invalid filter 'status=" + s + "'");
            }
        }
        Integer limit = req.integer("limit");
        return new ContainerBackend.ListOptions(req.bool("all"), limit == null ? -1 : limit, req.bool("size"), f);
    }

    /** The create body: Config fields at the top level, plus HostConfig and NetworkingConfig. */
    static ContainerCreateRequest createRequest(ApiRequest req) {
        String name = req.query("name");
        if (name != null && !name.isEmpty() && !NAME.matcher(name).matches()) {
            throw EngineApiException.badRequest("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (req.body().length == 0) {
            throw EngineApiException.badRequest("config cannot be empty in order to create a container");
        }
        try {
            JsonNode root = Json.mapper().readTree(req.body());
            if (root == null || !root.isObject()) {
                throw EngineApiException.badRequest("config cannot be empty in order to create a container");
            }
            ContainerConfig config = Json.mapper().treeToValue(root, ContainerConfig.class);
            JsonNode host = field(root, "HostConfig");
            JsonNode net = field(root, "NetworkingConfig");
            return new ContainerCreateRequest(
                    name == null || name.isEmpty() ? null : name.startsWith("/") ? name.substring(1) : name,
                    req.query("platform"),
                    config,
                    host == null || host.isNull() ? null : Json.mapper().treeToValue(host, HostConfig.class),
                    net == null || net.isNull() ? null : Json.mapper().treeToValue(net, NetworkingConfig.class));
        } catch (JacksonException e) {
            throw EngineApiException.badRequest("invalid JSON body: " + e.getOriginalMessage());
        }
    }

    /** A top-level field, matched case-insensitively as Go does. */
    private static JsonNode field(JsonNode root, String name) {
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static ApiResponse logs(ApiRequest req, ContainerBackend c) {
        boolean stdout = req.bool("stdout");
        boolean stderr = req.bool("stderr");
        if (!stdout && !stderr) {
            throw EngineApiException.badRequest("Bad parameters: you must choose at least one stream");
        }
        String tail = req.query("tail", "all");
        int tailN;
        if (tail.isEmpty() || tail.equals("all")) {
            tailN = -1;
        } else {
            try {
                tailN = Integer.parseInt(tail);
            } catch (NumberFormatException e) {
                tailN = -1; // moby treats an unparsable tail as "all"
            }
        }
        var opts = new ContainerBackend.LogsOptions(stdout, stderr, req.bool("follow"), Math.max(0, SystemRoutes.timestamp(req, "since", 0)),
                Math.max(0, SystemRoutes.timestamp(req, "until", 0)), req.bool("timestamps"), tailN, req.bool("details"));
        ContainerOutput.OneWay output = c.logs(req.param("id"), opts);
        return new ApiResponse.Stream(200, contentType(req, output.tty()), out -> output.writer().writeTo(asStream(out)));
    }

    private static ApiResponse stats(ApiRequest req, ContainerBackend c) {
        String id = req.param("id");
        boolean stream = req.bool("stream", true) && !req.bool("one-shot");
        if (!stream) {
            return ApiResponse.ok(c.stats(id));
        }
        c.inspect(id, false); // 404 before the headers
        return new ApiResponse.Stream(200, "application/json", out -> {
            while (out.isOpen()) {
                out.writeJsonLine(c.stats(id));
                Thread.sleep(1000);
            }
        });
    }

    private static ApiResponse hijack(ApiRequest req, ContainerOutput.Duplex session) {
        return new ApiResponse.Hijack(contentType(req, session.tty()), conn -> session.session().serve(conn.stdin(), conn.stdout()));
    }

    /** Raw for TTYs; multiplexed frames announced as such from API 1.42 (raw-stream type before). */
    static String contentType(ApiRequest req, boolean tty) {
        return tty || req.versionBelow(new ApiVersion(1, 42)) ? RAW : MUX;
    }

    private static int dim(ApiRequest req, String name) {
        Integer v = req.integer(name);
        if (v == null || v < 0) {
            throw EngineApiException.badRequest("invalid value for " + name + ": " + req.query(name));
        }
        return v;
    }

    private static String archivePath(ApiRequest req) {
        String p = req.query("path");
        if (p == null || p.isEmpty()) {
            throw EngineApiException.badRequest("path parameter is required");
        }
        return p;
    }

    private static String statHeader(ArchiveStat stat) {
        return Base64.getEncoder().encodeToString(Json.mapper().writeValueAsBytes(stat));
    }

    /** A ResponseStream as an OutputStream, for backends that write bytes. */
    static OutputStream asStream(ResponseStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                out.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
    }
}
