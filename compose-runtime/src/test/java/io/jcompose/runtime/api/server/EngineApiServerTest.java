package io.jcompose.runtime.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.DaemonSystem;
import io.jcompose.runtime.daemon.EventBus;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP layer over a real Unix socket, spoken to with raw bytes. */
class EngineApiServerTest {

    @TempDir
    Path dir;

    Path socket;
    EngineApiServer server;
    EventBus events = new EventBus();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("api.sock");
        Router r = new Router();
        SystemRoutes.register(r, new DaemonSystem(DaemonConfig.defaults().withDataRoot(dir), "test-id", events, () -> DaemonSystem.Counts.NONE), events);
        r.add("GET", "/echo/{name*}/json", req -> ApiResponse.ok(Map.of("name", req.param("name"), "flag", req.bool("flag"),
                "version", req.version().toString())));
        r.add("POST", "/conflict", req -> {
            throw EngineApiException.conflict("already there");
        });
        r.add("POST", "/same", req -> {
            throw EngineApiException.notModified();
        });
        r.add("POST", "/body", req -> ApiResponse.ok(Map.of("null", req.body(Map.class) == null)));
        r.add("GET", "/boom", req -> {
            throw new IllegalStateException("kaputt");
        });
        r.add("GET", "/stream", req -> new ApiResponse.Stream(200, "application/json", out -> {
            for (int i = 0; i < 3; i++) {
                out.writeJsonLine(Map.of("n", i));
            }
        }));
        r.addHijacking("POST", "/upper/{id}", req -> {
            if (req.param("id").equals("missing")) {
                throw EngineApiException.notFound("No such container: missing");
            }
            return new ApiResponse.Hijack("application/vnd.docker.raw-stream", conn -> {
                byte[] in = conn.stdin().readAllBytes(); // ends at the client's half-close
                conn.stdout().write((new String(in, StandardCharsets.UTF_8).toUpperCase() + "|bye").getBytes(StandardCharsets.UTF_8));
            });
        });
        server = EngineApiServer.start(r, new ServerHeaders("25.0.0-test"), List.of(new Listener.UnixSocket(socket)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void socketIsMode0660AndGoneAfterClose() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        server.close();
        assertThat(socket).doesNotExist();
    }

    @Test
    void servesLoopbackTcpWhenConfiguredAndOurClientSpeaksIt() throws Exception {
        Router r = new Router();
        SystemRoutes.register(r, new DaemonSystem(DaemonConfig.defaults().withDataRoot(dir), "tcp-id", events, () -> DaemonSystem.Counts.NONE),
                events);
        try (EngineApiServer tcp = EngineApiServer.start(r, new ServerHeaders("25.0.0-test"),
                List.of(new Listener.LoopbackTcp(new java.net.InetSocketAddress("127.0.0.1", 0))))) {
            var bound = (java.net.InetSocketAddress) tcp.boundAddresses().getFirst();
            var client = new io.jcompose.runtime.api.client.EngineClient(
                    io.jcompose.runtime.api.client.DockerHost.parse("tcp://127.0.0.1:" + bound.getPort()));
            assertThat(client.ping()).isTrue();
            assertThat(client.info().id()).isEqualTo("tcp-id");
        }
    }

    @Test
    void servesBareAndVersionedPathsAndCapsNewerVersions() throws Exception {
        String bare = body(raw("GET /echo/library/busybox:latest/json?flag=1 HTTP/1.1\r\nHost: d\r\n\r\n"));
        assertThat(bare).contains("\"name\":\"library/busybox:latest\"", "\"flag\":true", "\"version\":\"1.44\"");
        assertThat(body(raw("GET /v1.44/echo/library/busybox:latest/json?flag=1 HTTP/1.1\r\nHost: d\r\n\r\n"))).isEqualTo(bare);
        assertThat(raw("GET /v1.30/echo/x/json?flag=no HTTP/1.1\r\nHost: d\r\n\r\n")).contains("\"flag\":false", "\"version\":\"1.30\"");
        assertThat(raw("GET /v1.99/echo/x/json?flag=FALSE HTTP/1.1\r\nHost: d\r\n\r\n")).contains("\"flag\":false", "\"version\":\"1.44\"");
        assertThat(raw("GET /echo/x/json?flag=true HTTP/1.1\r\nHost: d\r\n\r\n")).contains("\"flag\":true");
        assertThat(raw("GET /echo/x/json?flag HTTP/1.1\r\nHost: d\r\n\r\n")).contains("\"flag\":false");
        assertThat(raw("GET /echo/x/json?flag=none HTTP/1.1\r\nHost: d\r\n\r\n")).contains("\"flag\":false");
        assertThat(raw("GET /echo/x/json?flag=yes HTTP/1.1\r\nHost: d\r\n\r\n")).contains("\"flag\":true");
    }

    @Test
    void everyAnswerCarriesTheMiddlewareHeaders() throws Exception {
        String r = raw("GET /v1.44/version HTTP/1.1\r\nHost: d\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200 OK").contains("Server: Docker/25.0.0-test (linux)", "Api-Version: 1.44", "Ostype: linux",
                "\"ApiVersion\":\"1.44\"", "\"MinAPIVersion\":\"1.24\"");
    }

    @Test
    void pingAnswersHeadAndGetWithDockersHeaders() throws Exception {
        String head = raw("HEAD /_ping HTTP/1.1\r\nHost: d\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: 0")
                .contains("Api-Version: 1.44", "Docker-Experimental: false", "Swarm: inactive", "Cache-Control: no-cache, no-store, must-revalidate");
        assertThat(body(head)).isEmpty();
        assertThat(body(raw("GET /v1.44/_ping HTTP/1.1\r\nHost: d\r\n\r\n"))).isEqualTo("OK");
    }

    @Test
    void errorsAreJsonMessagesWithDockersStatuses() throws Exception {
        assertThat(raw("GET /v1.12/version HTTP/1.1\r\nHost: d\r\n\r\n")).startsWith("HTTP/1.1 400")
                .contains("{\"message\":\"client version 1.12 is too old. Minimum supported API version is 1.24");
        assertThat(raw("GET /nothing HTTP/1.1\r\nHost: d\r\n\r\n")).startsWith("HTTP/1.1 404").endsWith("{\"message\":\"page not found\"}\n");
        assertThat(raw("POST /conflict HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 409")
                .endsWith("{\"message\":\"already there\"}\n");
        String notModified = raw("POST /same HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n");
        assertThat(notModified).startsWith("HTTP/1.1 304");
        assertThat(body(notModified)).isEmpty();
        assertThat(raw("GET /boom HTTP/1.1\r\nHost: d\r\n\r\n")).startsWith("HTTP/1.1 500").endsWith("{\"message\":\"kaputt\"}\n");
        assertThat(raw("POST /body HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{nop"))
                .startsWith("HTTP/1.1 400").contains("invalid JSON body");
    }

    @Test
    void anEmptyBodyIsLegal() throws Exception {
        assertThat(body(raw("POST /body HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n"))).isEqualTo("{\"null\":true}\n");
    }

    @Test
    void streamsChunkedJsonLines() throws Exception {
        String r = raw("GET /stream HTTP/1.1\r\nHost: d\r\n\r\n");
        assertThat(r).containsIgnoringCase("transfer-encoding: chunked").contains("{\"n\":0}\n", "{\"n\":1}\n", "{\"n\":2}\n").endsWith("0\r\n\r\n");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (SocketChannel ch = connect()) {
            OutputStream out = Channels.newOutputStream(ch);
            InputStream in = Channels.newInputStream(ch);
            for (int i = 0; i < 3; i++) {
                out.write("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = readUntil(in, "\r\n\r\nOK");
                assertThat(head).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void hijackWithUpgradeAnswers101ThenRawBytesAndHalfCloseIsStdinEof() throws Exception {
        try (SocketChannel ch = connect()) {
            write(ch, "POST /v1.44/upper/c1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
            InputStream in = Channels.newInputStream(ch);
            String head = readUntil(in, "\r\n\r\n");
            assertThat(head).startsWith("HTTP/1.1 101 UPGRADED").contains("Connection: Upgrade", "Upgrade: tcp",
                    "Content-Type: application/vnd.docker.raw-stream", "Api-Version: 1.44");
            write(ch, "hello ");
            write(ch, "world");
            ch.shutdownOutput(); // like the CLI's CloseWrite: stdin ends, output must still arrive
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("HELLO WORLD|bye");
        }
    }

    @Test
    void hijackWithoutUpgradeIsACloseDelimited200() throws Exception {
        try (SocketChannel ch = connect()) {
            write(ch, "POST /upper/c1 HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            ch.shutdownOutput();
            String all = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.1 200 OK").doesNotContainIgnoringCase("content-length").doesNotContainIgnoringCase("chunked")
                    .endsWith("\r\n\r\n|bye");
        }
    }

    @Test
    void hijackRouteCanStillAnswerAnError() throws Exception {
        try (SocketChannel ch = connect()) {
            write(ch, "POST /upper/missing HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
            String all = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.1 404 Not Found").endsWith("{\"message\":\"No such container: missing\"}\n");
        }
    }

    @Test
    void eventsReplaySinceAndEndAtUntil() throws Exception {
        long before = System.currentTimeMillis() / 1000 - 1;
        events.publish(EventSink.event("volume", "create", "v1", Map.of("driver", "local")));
        events.publish(EventSink.event("container", "start", "c1", Map.of("name", "web", "image", "busybox")));
        String until = Long.toString(System.currentTimeMillis() / 1000 + 1);
        String r = raw("GET /events?since=" + before + "&until=" + until + "&filters=%7B%22type%22%3A%5B%22container%22%5D%7D HTTP/1.1\r\nHost: d\r\n\r\n");
        assertThat(r).contains("\"Action\":\"start\"", "\"status\":\"start\"", "\"from\":\"busybox\"").doesNotContain("\"volume\"");
        assertThat(raw("GET /events?since=10&until=5 HTTP/1.1\r\nHost: d\r\n\r\n")).startsWith("HTTP/1.1 400").contains("{\"message\":\"`since` time (10) cannot be after `until` time (5)\"}");
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

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
