package io.jcompose.runtime.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.daemon.DaemonConfig;
import io.jcompose.runtime.daemon.EngineIdentity;
import io.jcompose.runtime.daemon.Jcomposed;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our client against a real, in-process jcomposed. */
class EngineClientTest {

    @TempDir
    Path dir;

    Jcomposed daemon;
    EngineClient client;

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("jc.sock");
        daemon = Jcomposed.start(DaemonConfig.defaults().withDataRoot(dir.resolve("root")).withHosts(List.of("unix://" + socket)));
        client = new EngineClient(DockerHost.parse("unix://" + socket));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void pingVersionInfoAndNegotiation() {
        assertThat(client.ping()).isTrue();
        assertThat(client.apiVersion()).isEqualTo(ApiVersion.MAX);
        assertThat(client.version().version()).isEqualTo(EngineIdentity.ENGINE_VERSION);
        assertThat(client.info().swarm().localNodeState()).isEqualTo("inactive");
        assertThat(client.info().osType()).isEqualTo("linux");
    }

    @Test
    void unreachableDaemonIsAClearError() {
        EngineClient nobody = new EngineClient(new DockerHost.Unix(dir.resolve("none.sock")));
        assertThat(nobody.ping()).isFalse();
        assertThatThrownBy(nobody::version).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot connect to the engine at unix://" + dir.resolve("none.sock"));
    }

    @Test
    void volumesRoundTrip() {
        client.createVolume(new VolumeCreateRequest("data", null, null, Map.of("com.docker.compose.project", "p")));
        client.createVolume(new VolumeCreateRequest("other", null, null, null));
        assertThat(client.listVolumes(Filters.of("label", "com.docker.compose.project=p"))).extracting(v -> v.name()).containsExactly("data");
        assertThat(client.inspectVolume("data").labels()).containsEntry("com.docker.compose.project", "p");
        client.removeVolume("data", false);
        assertThatThrownBy(() -> client.inspectVolume("data")).isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.isNotFound()).isTrue());
        assertThat(client.pruneVolumes(Filters.of("all", "true")).volumesDeleted()).containsExactly("other");
    }

    @Test
    void aHundredParallelRequestsOnDifferentObjectsAllSucceed() throws Exception {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<String>> created = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String name = "vol" + i;
                created.add(pool.submit(() -> client.createVolume(new VolumeCreateRequest(name, null, null, null)).name()));
            }
            for (java.util.concurrent.Future<String> f : created) {
                assertThat(f.get(60, TimeUnit.SECONDS)).startsWith("vol");
            }
        }
        assertThat(client.listVolumes(Filters.NONE)).hasSize(100);
    }

    @Test
    void eventsStreamLive() throws Exception {
        try (JsonLines<EventMessage> events = client.events(null, null, Filters.of("type", "volume", "event", "create"))) {
            CompletableFuture<EventMessage> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return events.next();
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // the subscription is in place once the daemon counts the listener
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> client.info().nEventsListener() == 1);
            client.createVolume(new VolumeCreateRequest("ev", null, null, null));
            client.removeVolume("ev", false);
            EventMessage e = first.get(10, TimeUnit.SECONDS);
            assertThat(e.type()).isEqualTo("volume");
            assertThat(e.action()).isEqualTo("create");
            assertThat(e.actor().id()).isEqualTo("ev");
        }
        // the client hung up: the daemon drops its subscription
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> client.info().nEventsListener() == 0);
    }

    @Test
    void emptyEngineAnswersLikeDockerWithNothingInIt() {
        assertThat(client.listContainers(true, Filters.NONE)).isEmpty();
        assertThat(client.listImages(false, Filters.NONE)).isEmpty();
        assertThatThrownBy(() -> client.inspectContainer("web")).hasMessage("No such container: web");
        assertThatThrownBy(() -> client.inspectImage("busybox")).hasMessage("No such image: busybox");
        assertThatThrownBy(() -> client.inspectNetwork("n")).hasMessage("network n not found");
    }
}
