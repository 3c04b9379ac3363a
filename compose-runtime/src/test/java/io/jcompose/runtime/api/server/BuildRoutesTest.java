package io.jcompose.runtime.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.BuildCachePruneReport;
import io.jcompose.runtime.api.model.BuildMessage;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.DaemonSystem;
import io.jcompose.runtime.daemon.EventBus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /build}'s query as the classic clients send it, and where its errors go (HTTP status or in-band). */
class BuildRoutesTest {
    @TempDir Path dir;
    EngineApiServer server;
    Path socket;
    final AtomicReference<BuildBackend.BuildOptions> seen = new AtomicReference<>();
    final AtomicReference<byte[]> body = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("api.sock");
        EventBus events = new EventBus();
        BuildBackend builds = new BuildBackend() {
            @Override
            public void build(BuildOptions options, byte[] context, Consumer<BuildMessage> out, Consumer<Runnable> onClientGone) {
                seen.set(options);
                body.set(context);
                if ("bad".equals(options.target())) {
                    throw EngineApiException.badRequest("Dockerfile:2: unknown instruction: RUNN");
                }
                out.accept(BuildMessage.stream("Step 1/2 : FROM busybox"));
                if ("late".equals(options.target())) {
                    throw new IllegalStateException("disk full");
                }
                out.accept(BuildMessage.error("The command '/bin/sh -c false' returned a non-zero code: 1", 1));
            }

            @Override
            public BuildCachePruneReport prune(boolean all, Filters filters, long keepStorage) {
                return new BuildCachePruneReport(List.of("sha256:" + "a".repeat(64)), 42);
            }
        };
        Router router = EngineApi.router(new EngineApi.Backends(
                new DaemonSystem(DaemonConfig.defaults().withDataRoot(dir), "id", events, () -> DaemonSystem.Counts.NONE),
                events, null, Unsupported.backend(ContainerBackend.class), Unsupported.backend(ImageBackend.class),
                Unsupported.backend(NetworkBackend.class),
                builds));
        server = EngineApiServer.start(router, new ServerHeaders("25.0.0-test"), List.of(new Listener.UnixSocket(socket)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String post(String query, String content) throws Exception {
        return new RawHttp(socket).exchange("POST /v1.41/build?" + query + " HTTP/1.1\r\nHost: d\r\nContent-Type: application/x-tar\r\n"
                + "Content-Length: " + content.length() + "\r\n\r\n" + content);
    }

    @Test
    void readsTheClassicQueryAndStreamsInBandErrors() throws Exception {
        String answer = post("t=a%3A1&t=b&dockerfile=sub%2FDockerfile&buildargs=%7B%22A%22%3A%221%22%2C%22N%22%3Anull%7D"
                + "&labels=%7B%22k%22%3A%22v%22%7D&nocache=1&pull=true&networkmode=host&q=0&rm=1&forcerm=0&platform=linux%2Famd64"
                + "&memory=67108864&memswap=-1&cpushares=512&cpusetcpus=0&cpuquota=0&shmsize=33554432&extrahosts=db%3A10.0.0.2&extrahosts=cache%3A10.0.0.3&ulimits=%5B%7B%22Name%22%3A%22nofile%22%2C%22Soft%22%3A1000%2C%22Hard%22%3A2000%7D%5D", "TAR");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("application/json")
                .contains("{\"stream\":\"Step 1/2 : FROM busybox\"}")
                .contains("{\"errorDetail\":{\"code\":1,\"message\":\"The command '/bin/sh -c false' returned a non-zero code: 1\"},"
                        + "\"error\":\"The command '/bin/sh -c false' returned a non-zero code: 1\"}");
        BuildBackend.BuildOptions o = seen.get();
        assertThat(o.tags()).containsExactly("a:1", "b");
        assertThat(o.dockerfile()).isEqualTo("sub/Dockerfile");
        assertThat(o.buildArgs()).containsExactlyEntriesOf(java.util.Map.of("A", "1")); // docker-py sends null for unset args
        assertThat(o.labels()).containsEntry("k", "v");
        assertThat(o.noCache()).isTrue();
        assertThat(o.pull()).isTrue();
        assertThat(o.quiet()).isFalse();
        assertThat(o.networkMode()).isEqualTo("host");
        assertThat(o.platform()).isEqualTo("linux/amd64");
        assertThat(o.run()).isEqualTo(new BuildBackend.RunParameters(67108864L, -1L, 512L, "0", null, null, null, 33554432L,
                java.util.List.of(new io.jcompose.runtime.api.model.HostConfig.Ulimit("nofile", 1000L, 2000L)),
                java.util.List.of("db:10.0.0.2", "cache:10.0.0.3")));
        assertThat(new String(body.get())).isEqualTo("TAR");
    }

    @Test
    void errorsBeforeOutputAreHttpErrorsAfterItInBand() throws Exception {
        assertThat(post("target=bad", "")).startsWith("HTTP/1.1 400").contains("{\"message\":\"Dockerfile:2: unknown instruction: RUNN\"}");
        assertThat(post("target=late", "")).startsWith("HTTP/1.1 200")
                .contains("{\"errorDetail\":{\"message\":\"disk full\"},\"error\":\"disk full\"}");
        assertThat(post("buildargs=notjson", "")).startsWith("HTTP/1.1 400").contains("invalid buildargs");
        assertThat(post("remote=https%3A%2F%2Fexample.com%2Fx.git", "")).startsWith("HTTP/1.1 501");
    }

    @Test
    void pruneReportsDeletedCachesAndSpace() throws Exception {
        String answer = new RawHttp(socket).exchange("POST /v1.41/build/prune?all=1 HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("{\"CachesDeleted\":[\"sha256:" + "a".repeat(64) + "\"],\"SpaceReclaimed\":42}");
    }
}
