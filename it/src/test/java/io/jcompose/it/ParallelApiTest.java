package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerConfig;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.HostConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100 API requests at once, each on a different container (create, inspect, stop, start,
 * inspect, remove; one virtual thread per request, through {@link EngineClient} on the daemon's
 * socket): every one succeeds, and each container ends in the state its requests asked for.
 */
@Tag("root")
@Tag("registry")
class ParallelApiTest {
    private static final int N = 100;

    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;
    EngineClient api;
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void cleanUp() throws IOException {
        if (api != null) {
            for (String id : ids) {
                try {
                    api.removeContainer(id, true, true);
                } catch (RuntimeException e) {
                    // removed by the test already
                }
            }
        }
    }

    @Test
    void hundredParallelRequestsOnHundredContainersAllSucceed() throws Exception {
        Path composeFile = compose.project("par", "services:\n  one:\n    image: busybox:latest\n");
        run = compose.prepare(composeFile);
        assertThat(run.jcomposeBare("engine", "start").code()).isZero();
        api = new EngineClient(new DockerHost.Unix(run.socket()));
        ComposeRun.pull(api, "busybox", "latest");

        List<String> created = all(i -> api.createContainer(new ContainerCreateRequest("par-" + i, null,
                ContainerConfig.of("busybox:latest", List.of("sleep", "3600")), HostConfig.ofNetworkMode("none"), null)).id());
        ids.addAll(created);
        assertThat(created).doesNotHaveDuplicates().hasSize(N);
        all(i -> {
            api.startContainer(created.get(i));
            return null;
        });
        assertThat(all(i -> api.inspectContainer(created.get(i)).state().status())).containsOnly("running");
        all(i -> {
            api.stopContainer(created.get(i), 1);
            return null;
        });
        assertThat(all(i -> api.inspectContainer(created.get(i)).state().status())).containsOnly("exited");
        all(i -> {
            api.startContainer(created.get(i));
            return null;
        });
        assertThat(all(i -> api.inspectContainer(created.get(i)).name())).containsExactlyInAnyOrderElementsOf(
                created.stream().map(id -> "/par-" + created.indexOf(id)).toList());
        assertThat(api.listContainers(false, Filters.NONE)).hasSize(N);
        all(i -> {
            api.removeContainer(created.get(i), true, true);
            return null;
        });
        assertThat(api.listContainers(true, Filters.NONE)).isEmpty();
    }

    /** Runs {@code request(i)} for i in 0..N-1 at once, one virtual thread each; the results in order, the first failure thrown. */
    private static <T> List<T> all(IntFunction<T> request) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                int n = i;
                futures.add(pool.submit(() -> request.apply(n)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
