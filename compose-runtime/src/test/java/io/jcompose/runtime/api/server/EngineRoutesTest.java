package io.jcompose.runtime.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.HijackedStream;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.client.StreamFrames;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecStartRequest;
import io.jcompose.runtime.api.model.IdResponse;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.NetworkCreateResponse;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.WaitResponse;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.DaemonSystem;
import io.jcompose.runtime.daemon.EventBus;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.api.model.PruneReport;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container, image and network routes: request parsing, status codes and stream formats,
 * through the real server and our client. The backends are fakes: this tests the HTTP layer only.
 */
class EngineRoutesTest {

    static final String ID = "a".repeat(64);

    @TempDir
    Path dir;

    EngineApiServer server;
    EngineClient client;
    Path socket;
    final AtomicReference<Object> seen = new AtomicReference<>();
    final CompletableFuture<WaitResponse> exit = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("api.sock");
        EventBus events = new EventBus();
        ContainerBackend containers = Unsupported.except(ContainerBackend.class, new Object() {
            public IdResponse create(ContainerCreateRequest request) {
                seen.set(request);
                if ("taken".equals(request.name())) {
                    throw EngineApiException.conflict("Conflict. The container name \"/taken\" is already in use");
                }
                return new IdResponse(ID, List.of());
            }

            public List<ContainerSummary> list(ContainerBackend.ListOptions options) {
                seen.set(options);
                return List.of(new ContainerSummary(ID, List.of("/web"), "busybox", "sha256:1", "sh", 1, List.of(), null, null, Map.of(),
                        "running", "Up 1 second", new ContainerSummary.SummaryHostConfig("bridge"), null, List.of()));
            }

            public void start(String id) {
                if (id.equals("running")) {
                    throw EngineApiException.notModified();
                }
                seen.set("started " + id);
            }

            public CompletableFuture<WaitResponse> waitFor(String id, String condition) {
                seen.set(condition);
                if (id.equals("missing")) {
                    throw EngineApiException.notFound("No such container: missing");
                }
                return exit;
            }

            public ContainerOutput.OneWay logs(String id, ContainerBackend.LogsOptions options) {
                seen.set(options);
                return new ContainerOutput.OneWay(false, out -> {
                    out.write(frame(1, "out\n"));
                    out.write(frame(2, "err\n"));
                });
            }

            public IdResponse execCreate(String containerId, ExecCreateRequest request) {
                seen.set(request);
                return new IdResponse("e".repeat(64), null);
            }

            public ContainerOutput.Duplex execStart(String execId, ExecStartRequest request) {
                return new ContainerOutput.Duplex(false, (stdin, out) -> {
                    byte[] in = stdin.readAllBytes();
                    out.write(frame(1, new String(in, StandardCharsets.UTF_8).toUpperCase()));
                });
            }

            public void kill(String id, String signal) {
                throw EngineApiException.conflict("Cannot kill container: " + id + ": container is not running");
            }
        });
        ImageBackend images = Unsupported.except(ImageBackend.class, new Object() {
            public void pull(String fromImage, String tag, String platform, String registryAuth, Consumer<ProgressMessage> progress) {
                seen.set(fromImage + ":" + tag + " auth=" + registryAuth);
                if (fromImage.equals("nope")) {
                    throw EngineApiException.notFound("pull access denied for nope, repository does not exist");
                }
                progress.accept(ProgressMessage.status(tag, "Pulling from library/" + fromImage));
                if (fromImage.equals("broken")) {
                    throw EngineApiException.internal("unexpected EOF");
                }
                progress.accept(ProgressMessage.status(null, "Status: Downloaded newer image for " + fromImage + ":" + tag));
            }

            public ImageInspect inspect(String name) {
                if (!name.equals("library/busybox:latest")) {
                    throw EngineApiException.notFound("No such image: " + name);
                }
                return new ImageInspect("sha256:1", List.of(name), List.of(), "", "", "2024-01-01T00:00:00Z", "", null, "amd64", "", "linux", 1,
                        null, null);
            }
        });
        NetworkBackend networks = Unsupported.except(NetworkBackend.class, new Object() {
            public NetworkCreateResponse create(NetworkCreateRequest request) {
                seen.set(request);
                return new NetworkCreateResponse("n".repeat(64), "");
            }

            public void remove(String id) {
                throw EngineApiException.forbidden(id + " is a pre-defined network and cannot be removed");
            }
        });
        VolumeBackend noVolumes = Unsupported.except(VolumeBackend.class, new Object() {
            public List<Volume> list(Filters f) {
                return List.of();
            }

            public Volume inspect(String n) {
                throw EngineApiException.notFound("get " + n + ": no such volume");
            }
        });
        Router router = EngineApi.router(new EngineApi.Backends(
                new DaemonSystem(DaemonConfig.defaults().withDataRoot(dir), "id", events, () -> DaemonSystem.Counts.NONE), events, noVolumes,
                containers, images, networks));
        server = EngineApiServer.start(router, new ServerHeaders("25.0.0-test"), List.of(new Listener.UnixSocket(socket)));
        client = new EngineClient(new DockerHost.Unix(socket));
    }

    @AfterEach
    void stop() {
        exit.complete(new WaitResponse(0, null));
        server.close();
    }

    static byte[] frame(int stream, String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + p.length);
        b.put((byte) stream).put(new byte[3]).putInt(p.length).put(p);
        return b.array();
    }

    @Test
    void createReadsTopLevelConfigHostConfigAndNetworkingConfigAsDockerPySendsThem() throws Exception {
        String body = """
                {"Image":"busybox","Cmd":"echo hi","Labels":{"com.docker.compose.project":"p"},"Tty":false,
                 "ExposedPorts":{"80/tcp":{}},"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":1000000000,"Retries":3},
                 "hostconfig":{"NetworkMode":"p_default","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":""}]},
                   "RestartPolicy":{"Name":"unless-stopped"},"Binds":["/src:/dst:ro"],"LogConfig":{"Type":"json-file","Config":{}}},
                 "NetworkingConfig":{"EndpointsConfig":{"p_default":{"Aliases":["web"],"IPAMConfig":{"IPv4Address":"172.20.0.5"}}}},
                 "SomethingNew":1}""";
        String answer = raw("POST /v1.41/containers/create?name=p-web-1 HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        assertThat(answer).startsWith("HTTP/1.1 201").contains("{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
        ContainerCreateRequest r = (ContainerCreateRequest) seen.get();
        assertThat(r.name()).isEqualTo("p-web-1");
        assertThat(r.config().cmd()).containsExactly("echo hi"); // Go's strslice: a string is a one-element list
        assertThat(r.config().exposedPorts()).containsKey("80/tcp");
        assertThat(r.config().healthcheck().test()).containsExactly("CMD-SHELL", "true");
        assertThat(r.hostConfig().portBindings().get("80/tcp").getFirst().hostPort()).isEmpty();
        assertThat(r.hostConfig().restartPolicy().name()).isEqualTo("unless-stopped");
        assertThat(r.hostConfig().logConfig().type()).isEqualTo("json-file");
        assertThat(r.networkingConfig().endpointsConfig().get("p_default").aliases()).containsExactly("web");
        assertThat(r.networkingConfig().endpointsConfig().get("p_default").ipamConfig().ipv4Address()).isEqualTo("172.20.0.5");
    }

    @Test
    void createValidatesNameAndBodyAndPassesConflicts() {
        assertThatThrownBy(() -> client.createContainer(new ContainerCreateRequest("bad name", null,
                io.jcompose.runtime.api.model.ContainerConfig.of("busybox", null), null, null)))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("Invalid container name (bad name)");
        assertThatThrownBy(() -> client.createContainer(new ContainerCreateRequest("taken", null,
                io.jcompose.runtime.api.model.ContainerConfig.of("busybox", List.of("true")), null, null)))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        IdResponse ok = client.createContainer(new ContainerCreateRequest("web", null, io.jcompose.runtime.api.model.ContainerConfig.of("busybox",
                List.of("true")), io.jcompose.runtime.api.model.HostConfig.ofNetworkMode("host"), null));
        assertThat(ok.id()).isEqualTo(ID);
        assertThat(((ContainerCreateRequest) seen.get()).hostConfig().networkMode()).isEqualTo("host");
    }

    @Test
    void listTakesBothFilterFormsAndRejectsUnknownStatus() throws Exception {
        List<ContainerSummary> l = client.listContainers(true, Filters.of("label", "com.docker.compose.project=p", "status", "running"));
        assertThat(l).extracting(ContainerSummary::names).containsExactly(List.of("/web"));
        var opts = (ContainerBackend.ListOptions) seen.get();
        assertThat(opts.all()).isTrue();
        assertThat(opts.filters().get("status")).containsExactly("running");
        // docker-py's list form and limit=-1
        raw("GET /v1.41/containers/json?all=1&limit=-1&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D HTTP/1.1\r\nHost: d\r\n\r\n");
        assertThat(((ContainerBackend.ListOptions) seen.get()).filters().get("label")).containsExactly("a=b");
        assertThat(raw("GET /containers/json?filters=%7B%22status%22%3A%5B%22zombie%22%5D%7D HTTP/1.1\r\nHost: d\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("invalid filter 'status=zombie'");
    }

    @Test
    void startOfARunningContainerIs304AndTheClientTakesItAsSuccess() throws Exception {
        assertThat(raw("POST /containers/running/start HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 304");
        client.startContainer("running");
        client.startContainer("web");
        assertThat(seen.get()).isEqualTo("started web");
        assertThatThrownBy(() -> client.killContainer("web", null))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void waitSendsHeadersBeforeTheContainerExits() throws Exception {
        try (SocketChannel ch = connect()) {
            write(ch, "POST /v1.44/containers/web/wait?condition=next-exit HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n");
            InputStream in = Channels.newInputStream(ch);
            String head = readUntil(in, "\r\n\r\n"); // arrives while the container still runs
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(seen.get()).isEqualTo("next-exit");
            exit.complete(new WaitResponse(3, null));
            assertThat(readUntil(in, "}")).contains("{\"StatusCode\":3,\"Error\":null}");
        }
        assertThat(raw("POST /containers/missing/wait HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 404")
                .contains("No such container: missing");
        assertThat(raw("POST /containers/web/wait?condition=soon HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void logsAreMultiplexedFramesWithTheirContentType() throws Exception {
        String r = raw("GET /v1.44/containers/web/logs?stdout=1&stderr=1&follow=1&tail=all&since=0 HTTP/1.1\r\nHost: d\r\n\r\n");
        assertThat(r).contains("application/vnd.docker.multiplexed-stream");
        var opts = (ContainerBackend.LogsOptions) seen.get();
        assertThat(opts.follow()).isTrue();
        assertThat(opts.tail()).isEqualTo(-1);
        try (InputStream logs = client.logs("web", false, false, "10")) {
            StreamFrames frames = new StreamFrames(logs);
            assertThat(frames.next()).satisfies(f -> {
                assertThat(f.stream()).isEqualTo(1);
                assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("out\n");
            });
            assertThat(frames.next().stream()).isEqualTo(2);
            assertThat(frames.next()).isNull();
        }
        assertThat(((ContainerBackend.LogsOptions) seen.get()).tail()).isEqualTo(10);
        assertThat(raw("GET /containers/web/logs HTTP/1.1\r\nHost: d\r\n\r\n")).startsWith("HTTP/1.1 400").contains("choose at least one stream");
    }

    @Test
    void execRunsOverAnUpgradedConnectionAndHalfCloseEndsStdin() throws Exception {
        String exec = client.createExec("web", new ExecCreateRequest(true, true, true, null, false, null, List.of("cat"), null, null, null, null));
        assertThat(exec).hasSize(64);
        assertThat(((ExecCreateRequest) seen.get()).cmd()).containsExactly("cat");
        try (HijackedStream s = client.startExec(exec, false)) {
            assertThat(s.upgraded()).isTrue();
            assertThat(s.contentType()).isEqualTo("application/vnd.docker.multiplexed-stream");
            s.stdin().write("hello".getBytes(StandardCharsets.UTF_8));
            s.closeStdin();
            StreamFrames frames = new StreamFrames(s.output());
            assertThat(new String(frames.next().payload(), StandardCharsets.UTF_8)).isEqualTo("HELLO");
            assertThat(frames.next()).isNull();
        }
    }

    @Test
    void pullStreamsProgressAndReportsErrorsAsDockerDoes() throws Exception {
        try (JsonLines<ProgressMessage> lines = client.pullImage("busybox", "latest", null, "{\"username\":\"u\"}")) {
            assertThat(lines.next().status()).isEqualTo("Pulling from library/busybox");
            assertThat(lines.next().status()).isEqualTo("Status: Downloaded newer image for busybox:latest");
            assertThat(lines.next()).isNull();
        }
        assertThat(seen.get()).isEqualTo("busybox:latest auth={\"username\":\"u\"}");
        // nothing sent yet: an ordinary HTTP error
        assertThatThrownBy(() -> client.pullImage("nope", "latest", null, null))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        // after the first line: in-band errorDetail with 200
        try (JsonLines<ProgressMessage> lines = client.pullImage("broken", "latest", null, null)) {
            lines.next();
            ProgressMessage err = lines.next();
            assertThat(err.errorDetail().message()).isEqualTo("unexpected EOF");
            assertThat(err.error()).isEqualTo("unexpected EOF");
        }
    }

    @Test
    void imageNamesWithSlashesAndTheNoSuchImageText() {
        assertThat(client.inspectImage("library/busybox:latest").architecture()).isEqualTo("amd64");
        assertThatThrownBy(() -> client.inspectImage("other/thing:1"))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessage("No such image: other/thing:1");
    }

    @Test
    void networkCreateAnd403OnPredefinedNetworks() {
        NetworkCreateResponse r = client.createNetwork(new NetworkCreateRequest("p_default", true, "bridge", null, false, null, null, null, null, null,
                Map.of("com.docker.compose.network", "default")));
        assertThat(r.id()).hasSize(64);
        assertThat(((NetworkCreateRequest) seen.get()).labels()).containsEntry("com.docker.compose.network", "default");
        assertThatThrownBy(() -> client.removeNetwork("bridge"))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    private SocketChannel connect() throws Exception {
        return new RawHttp(socket).connect();
    }

    private static void write(SocketChannel ch, String s) throws Exception {
        RawHttp.write(ch, s);
    }

    private String raw(String request) throws Exception {
        return new RawHttp(socket).exchange(request);
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        return RawHttp.readUntil(in, marker);
    }
}
