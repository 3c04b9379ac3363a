package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import io.jcompose.it.support.HostView;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.DockerHost;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 20 consecutive {@code up -d --wait} / {@code down} cycles of a two-service project with a
 * network of its own, a named volume, a published port and a healthcheck leave nothing behind,
 * checked from the host ({@link HostView}: /proc, mountinfo, links, /run/netns, nft, every cgroup
 * hierarchy, the run root), not from the engine's own view: the host after the last {@code down}
 * looks as it did with the daemon running before the first {@code up}.
 */
@Tag("root")
@Tag("registry")
class UpDownCyclesTest {
    private static final int CYCLES = 20;

    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    @Test
    void twentyCyclesLeaveNothingOnTheHost() throws Exception {
        int port = ComposeRun.freePort();
        Path composeFile = compose.project("cycles", """
                services:
                  web:
                    image: busybox:latest
                    command: ["sh", "-c", "mkdir -p /www && echo cycle > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    ports: ["127.0.0.1:${WEB_PORT}:8080"]
                    networks: [back]
                    healthcheck:
                      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
                      interval: 1s
                      timeout: 2s
                      retries: 20
                  worker:
                    image: busybox:latest
                    command: ["sh", "-c", "date >> /data/starts && exec sleep 3600"]
                    init: true
                    volumes: ["data:/data"]
                    networks: [back]
                    depends_on:
                      web: {condition: service_healthy}
                networks:
                  back: {}
                volumes:
                  data: {}
                """);
        run = compose.prepare(composeFile, Map.of("WEB_PORT", Integer.toString(port)));
        ComposeRun.Result start = run.jcomposeBare("engine", "start");
        assertThat(start.code()).as("engine start: " + start.err()).isZero();
        EngineClient api = new EngineClient(new DockerHost.Unix(run.socket()));

        Set<String> containers = new TreeSet<>();
        HostView before = HostView.of(run, containers, List.of(port));

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            ComposeRun.Result up = run.jcompose("up", "-d", "--wait", "--wait-timeout", "60");
            assertThat(up.code()).as("cycle " + cycle + " up: " + up.err()).isZero();
            List<ContainerSummary> running = api.listContainers(false, Filters.NONE);
            assertThat(running).as("cycle " + cycle).hasSize(2);
            running.forEach(c -> containers.add(c.id()));
            assertThat(get(port)).as("cycle " + cycle + ": the published port").isEqualTo("cycle\n");

            HostView during = HostView.of(run, containers, List.of(port));
            assertThat(during.netns()).as("the check sees the running containers' objects").hasSize(2);
            assertThat(during.links()).as("bridge and two veths").hasSize(3);
            assertThat(during.cgroups()).isNotEmpty();
            // the engine's own table (inet jcompose-<tag>): no other engine rewrites it
            assertThat(during.nftRules()).as("masquerade and DNAT of this engine").anyMatch(l -> l.contains("masquerade"))
                    .anyMatch(l -> l.contains("dport " + port + " dnat"));

            ComposeRun.Result down = cycle == CYCLES ? run.jcompose("down", "-v", "-t", "1") : run.jcompose("down", "-t", "1");
            assertThat(down.code()).as("cycle " + cycle + " down: " + down.err()).isZero();
        }
        assertThat(containers).as("each cycle made new containers").hasSize(2 * CYCLES);

        HostView after = HostView.of(run, containers, List.of(port));
        assertThat(after.processes()).as("processes (daemon only)").isEqualTo(before.processes());
        assertThat(after.mounts()).as("mounts under the roots").isEqualTo(before.mounts());
        assertThat(after.links()).as("bridges and veths").isEmpty();
        assertThat(after.netns()).as("network namespaces").isEmpty();
        assertThat(after.nftRules()).as("rules in inet jcompose").isEmpty();
        assertThat(after.cgroups()).as("container cgroups").isEmpty();
        assertThat(after.runFiles()).as("files in the run root").isEqualTo(before.runFiles());
        assertThat(api.listVolumes(Filters.NONE)).as("down -v removed the named volume").isEmpty();
        assertThat(listOrEmpty(run.dataRoot().resolve("containers"))).as("container directories").isEmpty();
        // the engine's own parent (jcompose-<tag>/) goes with its last container: one that stays is a leak
        assertThat(HostView.emptyCgroupParents(run)).as("empty cgroup parents of this engine").isEmpty();
    }

    private static String get(int port) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        }
    }

    private static List<String> listOrEmpty(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
