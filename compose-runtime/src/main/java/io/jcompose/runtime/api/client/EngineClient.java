package io.jcompose.runtime.api.client;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.model.ArchiveStat;
import io.jcompose.runtime.api.model.BuildMessage;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.ContainerStats;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ContainerTop;
import io.jcompose.runtime.api.model.DistributionInspect;
import io.jcompose.runtime.api.model.ErrorResponse;
import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import io.jcompose.runtime.api.model.ExecStartRequest;
import io.jcompose.runtime.api.model.IdResponse;
import io.jcompose.runtime.api.model.ImageDeleteItem;
import io.jcompose.runtime.api.model.ImageBuildOptions;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.api.model.ImageSummary;
import io.jcompose.runtime.api.model.NetworkConnectRequest;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.NetworkCreateResponse;
import io.jcompose.runtime.api.model.NetworkDisconnectRequest;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.SystemInfo;
import io.jcompose.runtime.api.model.SystemVersion;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.api.model.VolumeListResponse;
import io.jcompose.runtime.api.model.WaitResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Engine API client the CLI uses: the JDK's own Unix-domain sockets (no Netty, for startup
 * time), minimal HTTP/1.1, one connection per call. It drives {@code jcomposed} or a real dockerd:
 * the API version is negotiated once ({@code min(1.44, daemon's Api-Version)}) as Docker's clients do.
 *
 * <p>Every non-2xx answer becomes an {@link EngineApiException} carrying the daemon's status and
 * message; connection failures are {@link UncheckedIOException}s naming the host.
 */
public class EngineClient {

    private final DockerHost host;
    private volatile ApiVersion version;

    /** A client for {@code host}; the version is negotiated on first use. */
    public EngineClient(DockerHost host) {
        this.host = host;
    }

    /** A client for {@code host} pinned to {@code version} (no negotiation). */
    public EngineClient(DockerHost host, ApiVersion version) {
        this.host = host;
        this.version = version;
    }

    /** A client for {@code DOCKER_HOST}, or jcompose's default socket. */
    public static EngineClient fromEnvironment() {
        return new EngineClient(DockerHost.fromEnvironment(System.getenv()));
    }

    /** The daemon's address. */
    public DockerHost host() {
        return host;
    }

    /** The API version used in request paths (negotiating it if needed). */
    public ApiVersion apiVersion() {
        ApiVersion v = version;
        if (v == null) {
            synchronized (this) {
                if (version == null) {
                    version = negotiate();
                }
                v = version;
            }
        }
        return v;
    }

    private ApiVersion negotiate() {
        try (HttpWire.Response r = HttpWire.exchange(host, "HEAD", "/_ping", Map.of(), null)) {
            String v = r.header("api-version");
            if (v == null) {
                return ApiVersion.MAX;
            }
            ApiVersion server = ApiVersion.parse(v.trim());
            return server.lessThan(ApiVersion.MAX) ? server : ApiVersion.MAX;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            return ApiVersion.MAX;
        }
    }

    // ---- system ------------------------------------------------------------------------------

    /** True if a daemon answers {@code _ping} with 200. Never throws. */
    public boolean ping() {
        try (HttpWire.Response r = HttpWire.exchange(host, "GET", "/_ping", Map.of(), null)) {
            return r.status() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code GET /version}. */
    public SystemVersion version() {
        return get("/version", Query.none(), SystemVersion.class);
    }

    /** {@code GET /info}. */
    public SystemInfo info() {
        return get("/info", Query.none(), SystemInfo.class);
    }

    /**
     * {@code GET /events}: a stream of events. {@code since}/{@code until} are Unix seconds (with
     * fraction) as strings, or null.
     */
    public JsonLines<EventMessage> events(String since, String until, Filters filters) {
        Query q = Query.none().add("since", since).add("until", until).add("filters", filters);
        return new JsonLines<>(open("GET", "/events", q, null), EventMessage.class);
    }

    // ---- volumes -----------------------------------------------------------------------------

    /** {@code POST /volumes/create}. */
    public Volume createVolume(VolumeCreateRequest request) {
        return call("POST", "/volumes/create", Query.none(), request, Volume.class);
    }

    /** {@code GET /volumes}. */
    public List<Volume> listVolumes(Filters filters) {
        VolumeListResponse r = get("/volumes", Query.none().add("filters", filters), VolumeListResponse.class);
        return r.volumes() == null ? List.of() : r.volumes();
    }

    /** {@code GET /volumes/{name}}; 404 as {@link EngineApiException}. */
    public Volume inspectVolume(String name) {
        return get("/volumes/" + enc(name), Query.none(), Volume.class);
    }

    /** {@code DELETE /volumes/{name}}. */
    public void removeVolume(String name, boolean force) {
        call("DELETE", "/volumes/" + enc(name), Query.none().flag("force", force), null, Void.class);
    }

    /** {@code POST /volumes/prune}. */
    public PruneReport pruneVolumes(Filters filters) {
        return call("POST", "/volumes/prune", Query.none().add("filters", filters), null, PruneReport.class);
    }

    // ---- containers --------------------------------------------------------------------------

    /** {@code POST /containers/create}: Config at the top level plus HostConfig and NetworkingConfig. */
    public IdResponse createContainer(ContainerCreateRequest request) {
        ObjectNode body = Json.requests().valueToTree(request.config());
        if (request.hostConfig() != null) {
            body.set("HostConfig", Json.requests().valueToTree(request.hostConfig()));
        }
        if (request.networkingConfig() != null) {
            body.set("NetworkingConfig", Json.requests().valueToTree(request.networkingConfig()));
        }
        return call("POST", "/containers/create", Query.none().add("name", request.name()).add("platform", request.platform()), body,
                IdResponse.class);
    }

    /** {@code GET /containers/json}. */
    public List<ContainerSummary> listContainers(boolean all, Filters filters) {
        return call("GET", "/containers/json", Query.none().flag("all", all).add("filters", filters), null,
                new TypeReference<List<ContainerSummary>>() {});
    }

    /** {@code GET /containers/{id}/json}. */
    public ContainerInspect inspectContainer(String id) {
        return get("/containers/" + enc(id) + "/json", Query.none(), ContainerInspect.class);
    }

    /** {@code POST /containers/{id}/start}; an already running container (304) is no error. */
    public void startContainer(String id) {
        call("POST", "/containers/" + enc(id) + "/start", Query.none(), null, Void.class);
    }

    /** {@code POST /containers/{id}/stop}; {@code timeoutSeconds} null = the container's default. */
    public void stopContainer(String id, Integer timeoutSeconds) {
        call("POST", "/containers/" + enc(id) + "/stop", Query.none().add("t", timeoutSeconds), null, Void.class);
    }

    /** {@code POST /containers/{id}/restart}. */
    public void restartContainer(String id, Integer timeoutSeconds) {
        call("POST", "/containers/" + enc(id) + "/restart", Query.none().add("t", timeoutSeconds), null, Void.class);
    }

    /** {@code POST /containers/{id}/kill}. */
    public void killContainer(String id, String signal) {
        call("POST", "/containers/" + enc(id) + "/kill", Query.none().add("signal", signal), null, Void.class);
    }

    /** {@code DELETE /containers/{id}}. */
    public void removeContainer(String id, boolean force, boolean volumes) {
        call("DELETE", "/containers/" + enc(id), Query.none().flag("force", force).flag("v", volumes), null, Void.class);
    }

    /** {@code POST /containers/{id}/wait}: blocks until the condition holds. */
    public WaitResponse waitContainer(String id, String condition) {
        return call("POST", "/containers/" + enc(id) + "/wait", Query.none().add("condition", condition), null, WaitResponse.class);
    }

    /** {@code POST /containers/{id}/rename}. */
    public void renameContainer(String id, String newName) {
        call("POST", "/containers/" + enc(id) + "/rename", Query.none().add("name", newName), null, Void.class);
    }

    /** {@code POST /containers/{id}/pause}. */
    public void pauseContainer(String id) {
        call("POST", "/containers/" + enc(id) + "/pause", Query.none(), null, Void.class);
    }

    /** {@code POST /containers/{id}/unpause}. */
    public void unpauseContainer(String id) {
        call("POST", "/containers/" + enc(id) + "/unpause", Query.none(), null, Void.class);
    }

    /**
     * {@code GET /containers/{id}/logs}: the raw body (multiplexed frames unless the container has
     * a TTY; read them with {@link StreamFrames}). Close it to stop following.
     */
    public java.io.InputStream logs(String id, boolean follow, boolean timestamps, String tail) {
        HttpWire.Response r = open("GET", "/containers/" + enc(id) + "/logs",
                Query.none().flag("stdout", true).flag("stderr", true).flag("follow", follow).flag("timestamps", timestamps).add("tail", tail),
                null);
        return new java.io.FilterInputStream(r.body()) {
            @Override
            public void close() throws IOException {
                r.close();
            }
        };
    }

    /** {@code POST /containers/{id}/attach} (hijacked). */
    public HijackedStream attachContainer(String id, boolean stdin, boolean logs) {
        return hijack("/containers/" + enc(id) + "/attach",
                Query.none().flag("stream", true).flag("stdin", stdin).flag("stdout", true).flag("stderr", true).flag("logs", logs), null);
    }

    /**
     * {@code HEAD /containers/{id}/archive}: the stat of a path in a container.
     *
     * @throws EngineApiException 404 when the container or the path does not exist
     */
    public ArchiveStat statPath(String id, String path) {
        try (HttpWire.Response r = open("HEAD", "/containers/" + enc(id) + "/archive", Query.none().add("path", path), null)) {
            return pathStat(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** A tar stream of a container path with the path's stat; closing it closes the connection. */
    public record Archive(ArchiveStat stat, java.io.InputStream tar, AutoCloseable connection) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** {@code GET /containers/{id}/archive}: the tar of a path (a file, a link or a directory). */
    public Archive getArchive(String id, String path) {
        HttpWire.Response r = open("GET", "/containers/" + enc(id) + "/archive", Query.none().add("path", path), null);
        return new Archive(pathStat(r), r.body(), r);
    }

    /**
     * {@code PUT /containers/{id}/archive}: unpacks a tar into the directory {@code path}.
     *
     * @param noOverwriteDirNonDir refuse to replace a directory by a file or back
     * @param copyUidGid own the files by the container's user instead of the tar's owners
     */
    public void putArchive(String id, String path, byte[] tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        Query q = Query.none().add("path", path).flag("noOverwriteDirNonDir", noOverwriteDirNonDir).flag("copyUIDGID", copyUidGid);
        try (HttpWire.Response r = checked(HttpWire.exchange(host, "PUT", target("/containers/" + enc(id) + "/archive", q),
                Map.of("Content-Type", "application/x-tar"), tar))) {
            r.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static ArchiveStat pathStat(HttpWire.Response r) {
        String header = r.header("X-Docker-Container-Path-Stat");
        if (header == null) {
            return null;
        }
        return Json.mapper().readValue(java.util.Base64.getDecoder().decode(header.trim()), ArchiveStat.class);
    }

    /** {@code GET /containers/{id}/top}. */
    public ContainerTop topContainer(String id) {
        return get("/containers/" + enc(id) + "/top", Query.none(), ContainerTop.class);
    }

    /** {@code GET /containers/{id}/stats?stream=0}: one sample. */
    public ContainerStats statsOnce(String id) {
        return get("/containers/" + enc(id) + "/stats", Query.none().add("stream", "0"), ContainerStats.class);
    }

    /** {@code POST /containers/prune}. */
    public PruneReport pruneContainers(Filters filters) {
        return call("POST", "/containers/prune", Query.none().add("filters", filters), null, PruneReport.class);
    }

    /** {@code POST /containers/{id}/exec} → the exec ID. */
    public String createExec(String containerId, ExecCreateRequest request) {
        return call("POST", "/containers/" + enc(containerId) + "/exec", Query.none(), request, IdResponse.class).id();
    }

    /** {@code POST /exec/{id}/start} (hijacked). */
    public HijackedStream startExec(String execId, boolean tty) {
        return hijack("/exec/" + enc(execId) + "/start", Query.none(), new ExecStartRequest(false, tty, null));
    }

    /** {@code POST /exec/{id}/resize?h=…&w=…}: the TTY size of a running exec. */
    public void resizeExec(String execId, int height, int width) {
        call("POST", "/exec/" + enc(execId) + "/resize", Query.none().add("h", height).add("w", width), null, Void.class);
    }

    /** {@code POST /containers/{id}/resize?h=…&w=…}: the TTY size of a running container. */
    public void resizeContainer(String id, int height, int width) {
        call("POST", "/containers/" + enc(id) + "/resize", Query.none().add("h", height).add("w", width), null, Void.class);
    }

    /** {@code GET /exec/{id}/json}. */
    public ExecInspect inspectExec(String execId) {
        return get("/exec/" + enc(execId) + "/json", Query.none(), ExecInspect.class);
    }

    // ---- images ------------------------------------------------------------------------------

    /**
     * {@code POST /images/create}: pull progress lines; the stream reports failures in-band
     * ({@code errorDetail}). {@code registryAuthJson} becomes {@code X-Registry-Auth} (base64url).
     */
    public JsonLines<ProgressMessage> pullImage(String fromImage, String tag, String platform, String registryAuthJson) {
        return new JsonLines<>(open("POST", "/images/create", Query.none().add("fromImage", fromImage).add("tag", tag).add("platform", platform),
                null, authHeader(registryAuthJson)), ProgressMessage.class);
    }

    /** {@code POST /images/{name}/push}. */
    public JsonLines<ProgressMessage> pushImage(String name, String tag, String registryAuthJson) {
        // dockerd refuses a push without the header ("Bad parameters and missing X-Registry-Auth"): "{}" as the docker CLI sends
        String auth = registryAuthJson == null ? "{}" : registryAuthJson;
        return new JsonLines<>(open("POST", "/images/" + name + "/push", Query.none().add("tag", tag), null, authHeader(auth)),
                ProgressMessage.class);
    }

    /**
     * {@code POST /build}: sends the context tar (Content-Type {@code application/x-tar}) and
     * returns the builder's stream; a failure after the stream began arrives in-band
     * ({@link BuildMessage#failure()}), one before it (e.g. a Dockerfile parse error on dockerd) as
     * an {@link EngineApiException}.
     *
     * @param options the build parameters
     * @param contextTar the build context as an uncompressed tar
     * @param registryConfigJson {@code X-Registry-Config} (JSON of registry → auth), or null
     */
    public JsonLines<BuildMessage> build(ImageBuildOptions options, java.nio.file.Path contextTar, String registryConfigJson) {
        Query q = Query.none().addAll("t", options.tags()).add("dockerfile", options.dockerfile()).flag("q", options.quiet())
                .flag("nocache", options.noCache()).add("rm", "1").flag("pull", options.pull())
                .add("networkmode", options.networkMode()).add("target", options.target()).add("platform", options.platform())
                .addAll("extrahosts", options.extraHosts());
        if (!options.buildArgs().isEmpty()) {
            q.add("buildargs", Json.mapper().writeValueAsString(options.buildArgs()));
        }
        if (!options.labels().isEmpty()) {
            q.add("labels", Json.mapper().writeValueAsString(new java.util.TreeMap<>(options.labels())));
        }
        if (!options.namedContexts().isEmpty()) {
            q.add(ImageBuildOptions.NAMED_CONTEXTS, Json.mapper().writeValueAsString(options.namedContexts()));
        }
        if (options.shmSize() > 0) {
            q.add("shmsize", Long.toString(options.shmSize()));
        }
        if (!options.ulimits().isEmpty()) {
            q.add("ulimits", Json.mapper().writeValueAsString(options.ulimits()));
        }
        q.add("version", "1");
        Map<String, String> headers = registryConfigJson == null ? Map.of()
                : Map.of("X-Registry-Config", java.util.Base64.getUrlEncoder().encodeToString(registryConfigJson.getBytes(StandardCharsets.UTF_8)));
        HttpWire.Response r;
        try {
            long size = java.nio.file.Files.size(contextTar);
            r = HttpWire.exchange(host, "POST", target("/build", q), headers, "application/x-tar", size, out -> java.nio.file.Files.copy(contextTar, out));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return new JsonLines<>(checked(r), BuildMessage.class);
    }

    /** {@code GET /images/json}. */
    public List<ImageSummary> listImages(boolean all, Filters filters) {
        return call("GET", "/images/json", Query.none().flag("all", all).add("filters", filters), null, new TypeReference<List<ImageSummary>>() {});
    }

    /** {@code GET /images/{name}/json}; 404 {@code No such image}. */
    public ImageInspect inspectImage(String name) {
        return get("/images/" + name + "/json", Query.none(), ImageInspect.class);
    }

    /** {@code POST /images/{name}/tag}. */
    public void tagImage(String name, String repo, String tag) {
        call("POST", "/images/" + name + "/tag", Query.none().add("repo", repo).add("tag", tag), null, Void.class);
    }

    /** {@code DELETE /images/{name}}. */
    public List<ImageDeleteItem> removeImage(String name, boolean force) {
        return call("DELETE", "/images/" + name, Query.none().flag("force", force), null, new TypeReference<List<ImageDeleteItem>>() {});
    }

    /** {@code GET /distribution/{name}/json}: what the registry holds under {@code name}, without pulling. */
    public DistributionInspect distributionInspect(String name) {
        return get("/distribution/" + name + "/json", Query.none(), DistributionInspect.class);
    }

    /** {@code POST /images/prune}. */
    public PruneReport pruneImages(Filters filters) {
        return call("POST", "/images/prune", Query.none().add("filters", filters), null, PruneReport.class);
    }

    private static Map<String, String> authHeader(String json) {
        if (json == null) {
            return Map.of();
        }
        return Map.of("X-Registry-Auth", java.util.Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- networks ----------------------------------------------------------------------------

    /** {@code POST /networks/create}; 409 on a duplicate name. */
    public NetworkCreateResponse createNetwork(NetworkCreateRequest request) {
        return call("POST", "/networks/create", Query.none(), request, NetworkCreateResponse.class);
    }

    /** {@code GET /networks}. */
    public List<NetworkResource> listNetworks(Filters filters) {
        return call("GET", "/networks", Query.none().add("filters", filters), null, new TypeReference<List<NetworkResource>>() {});
    }

    /** {@code GET /networks/{id}}. */
    public NetworkResource inspectNetwork(String id) {
        return get("/networks/" + enc(id), Query.none(), NetworkResource.class);
    }

    /** {@code DELETE /networks/{id}}. */
    public void removeNetwork(String id) {
        call("DELETE", "/networks/" + enc(id), Query.none(), null, Void.class);
    }

    /** {@code POST /networks/{id}/connect}. */
    public void connectNetwork(String id, NetworkConnectRequest request) {
        call("POST", "/networks/" + enc(id) + "/connect", Query.none(), request, Void.class);
    }

    /** {@code POST /networks/{id}/disconnect}. */
    public void disconnectNetwork(String id, NetworkDisconnectRequest request) {
        call("POST", "/networks/" + enc(id) + "/disconnect", Query.none(), request, Void.class);
    }

    /** {@code POST /networks/prune}. */
    public PruneReport pruneNetworks(Filters filters) {
        return call("POST", "/networks/prune", Query.none().add("filters", filters), null, PruneReport.class);
    }

    // ---- plumbing (also for the container/image/network calls) -------------------------------

    /** GET and decode. */
    protected <T> T get(String path, Query query, Class<T> type) {
        return call("GET", path, query, null, type);
    }

    /** A call with an optional JSON body; {@code Void.class} discards the answer. 304 is not an error. */
    protected <T> T call(String method, String path, Query query, Object body, Class<T> type) {
        try (HttpWire.Response r = open(method, path, query, body)) {
            byte[] bytes = r.readAll();
            if (type == Void.class || bytes.length == 0) {
                return null;
            }
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("engine at " + host + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new EngineApiException(500, "unexpected answer from the engine at " + host + ": " + e.getOriginalMessage());
        }
    }

    /** Like {@link #call} for generic answers (lists). */
    protected <T> T call(String method, String path, Query query, Object body, TypeReference<T> type) {
        try (HttpWire.Response r = open(method, path, query, body)) {
            return Json.mapper().readValue(r.readAll(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("engine at " + host + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new EngineApiException(500, "unexpected answer from the engine at " + host + ": " + e.getOriginalMessage());
        }
    }

    /** Sends a request and returns the open response (status checked; errors thrown). */
    protected HttpWire.Response open(String method, String path, Query query, Object body) {
        return open(method, path, query, body, Map.of());
    }

    /** As {@link #open(String, String, Query, Object)} with extra headers (e.g. {@code X-Registry-Auth}). */
    protected HttpWire.Response open(String method, String path, Query query, Object body, Map<String, String> headers) {
        byte[] bytes = body == null ? null : Json.requests().writeValueAsBytes(body);
        HttpWire.Response r;
        try {
            r = HttpWire.exchange(host, method, target(path, query), headers, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return checked(r);
    }

    /** Opens a hijacked stream (attach, exec start): {@code Upgrade: tcp}, expects 101. */
    protected HijackedStream hijack(String path, Query query, Object body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Connection", "Upgrade");
        h.put("Upgrade", "tcp");
        byte[] bytes = body == null ? null : Json.requests().writeValueAsBytes(body);
        try {
            HttpWire.Response r = HttpWire.exchange(host, "POST", target(path, query), h, bytes);
            return new HijackedStream(checked(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private HttpWire.Response checked(HttpWire.Response r) {
        if (r.status() < 300 || r.status() == 304 || r.status() == 101) {
            return r;
        }
        String message;
        try (r) {
            byte[] bytes = r.readAll();
            try {
                message = Json.mapper().readValue(bytes, ErrorResponse.class).message();
            } catch (JacksonException e) {
                message = new String(bytes, StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            message = "HTTP " + r.status();
        }
        throw new EngineApiException(r.status(), message == null ? "HTTP " + r.status() : message);
    }

    private String target(String path, Query query) {
        return "/v" + apiVersion() + path + query.encode();
    }

    /** URL-encodes a path segment. */
    protected static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Query parameters; absent (null) values are skipped. */
    public static final class Query {
        private final Map<String, List<String>> params = new LinkedHashMap<>();

        private Query() {}

        public static Query none() {
            return new Query();
        }

        public Query add(String key, Object value) {
            if (value instanceof Filters f) {
                if (!f.isEmpty()) {
                    params.put(key, List.of(f.toJson()));
                }
            } else if (value != null) {
                params.put(key, List.of(value.toString()));
            }
            return this;
        }

        /** A parameter repeated once per value ({@code t=a&t=b}, as Go's {@code url.Values}). */
        public Query addAll(String key, List<String> values) {
            if (!values.isEmpty()) {
                params.put(key, List.copyOf(values));
            }
            return this;
        }

        /** A boolean sent as {@code 1} only when true (as the Go client does). */
        public Query flag(String key, boolean value) {
            if (value) {
                params.put(key, List.of("1"));
            }
            return this;
        }

        String encode() {
            if (params.isEmpty()) {
                return "";
            }
            StringJoiner j = new StringJoiner("&", "?", "");
            params.forEach((k, vs) -> vs.forEach(v -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8))));
            return j.toString();
        }
    }
}
