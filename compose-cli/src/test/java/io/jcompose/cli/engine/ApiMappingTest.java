package io.jcompose.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.planner.engine.ContainerContext;
import io.jcompose.planner.engine.ContainerCreateRequest;
import io.jcompose.planner.engine.ContainerInspect;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.planner.engine.NetworkCreateRequest;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.model.ContainerState;
import io.jcompose.runtime.api.model.HealthConfig;
import io.jcompose.runtime.api.model.NetworkResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The planner's records as the Engine API's JSON, and the API's answers back as records. */
class ApiMappingTest {
    @TempDir Path dir;

    ContainerCreateRequest request(String yaml, String service) throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        Project p = ProjectLoader.load(LoadOptions.defaults().withEnvironment(Map.of()).withCurrentDirectory(dir).withProjectName("shop"));
        return ContainerRequests.forService(new ContainerContext(p, p.services().get(service), 1, "shop-" + service + "-1", "hash",
                "sha256:img", Map.of(), Map.of()));
    }

    static JsonNode json(Object wire) {
        return Json.mapper().readTree(Json.requests().writeValueAsString(wire));
    }

    @Test
    void createRequestHasDockersShape() throws IOException {
        ContainerCreateRequest r = request("""
                services:
                  web:
                    image: busybox:latest
                    command: ["httpd", "-f"]
                    ports: ["127.0.0.1:8080:80"]
                    mem_limit: 64m
                    cpus: 0.5
                    volumes: [data:/data]
                    networks:
                      front: {ipv4_address: 172.30.0.5, aliases: [www]}
                    healthcheck: {test: ["CMD", "true"], interval: 2s, retries: 3}
                volumes:
                  data: {}
                networks:
                  front:
                    ipam: {config: [{subnet: 172.30.0.0/24}]}
                """, "web");
        var wire = ApiMapping.create(r);
        assertThat(wire.name()).isEqualTo("shop-web-1");
        JsonNode body = json(wire);
        // Config fields at the top level of the body, with Docker's names; the name is a query parameter
        JsonNode config = body.get("Config") != null ? body.get("Config") : body;
        assertThat(config.get("Image").asString()).isEqualTo("busybox:latest");
        assertThat(config.get("Cmd").toString()).isEqualTo("[\"httpd\",\"-f\"]");
        assertThat(config.get("ExposedPorts").has("80/tcp")).isTrue();
        assertThat(config.get("ExposedPorts").get("80/tcp").isObject()).isTrue();
        assertThat(config.get("Labels").get("com.docker.compose.service").asString()).isEqualTo("web");
        assertThat(config.get("Labels").get("com.docker.compose.project").asString()).isEqualTo("shop");
        assertThat(config.get("Healthcheck").get("Interval").asLong()).isEqualTo(2_000_000_000L);
        assertThat(config.get("Healthcheck").get("Retries").asInt()).isEqualTo(3);
        JsonNode host = body.get("HostConfig");
        assertThat(host.get("Memory").asLong()).isEqualTo(64L << 20); // Resources flattened into HostConfig
        assertThat(host.get("NanoCpus").asLong()).isEqualTo(500_000_000L);
        assertThat(host.has("Resources")).isFalse();
        assertThat(host.get("PortBindings").get("80/tcp").get(0).get("HostIp").asString()).isEqualTo("127.0.0.1");
        assertThat(host.get("PortBindings").get("80/tcp").get(0).get("HostPort").asString()).isEqualTo("8080");
        assertThat(host.get("NetworkMode").asString()).isEqualTo("shop_front");
        assertThat(host.get("Binds").get(0).asString()).startsWith("shop_data:/data");
        assertThat(host.has("Privileged")).isFalse(); // false/empty omitted, the engine's defaults apply
        JsonNode endpoint = body.get("NetworkingConfig").get("EndpointsConfig").get("shop_front");
        assertThat(endpoint.get("IPAMConfig").get("IPv4Address").asString()).isEqualTo("172.30.0.5");
        assertThat(endpoint.get("Aliases").toString()).contains("\"web\"", "\"www\"");
    }

    @Test
    void tmpfsAndAnonymousVolumesAreMounts() throws IOException {
        ContainerCreateRequest r = request("""
                services:
                  db:
                    image: busybox
                    volumes:
                      - type: tmpfs
                        target: /scratch
                        tmpfs: {size: 1048576}
                      - /anon
                """, "db");
        JsonNode mounts = json(ApiMapping.create(r)).get("HostConfig").get("Mounts");
        assertThat(mounts.toString()).contains("\"Type\":\"tmpfs\"", "\"Target\":\"/scratch\"", "\"SizeBytes\":1048576",
                "\"Type\":\"volume\"", "\"Target\":\"/anon\"");
    }

    @Test
    void inspectAnswerBecomesThePlannersView() {
        var cfg = new io.jcompose.runtime.api.model.ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                new HealthConfig(List.of("CMD", "true"), null, null, null, null, null), "busybox", null, null, null, null, null,
                Map.of("com.docker.compose.service", "web"), null, null, null);
        var state = new ContainerState("running", true, false, false, false, false, 42, 0, "", "t", ContainerState.NEVER,
                new ContainerState.Health("healthy", 0, List.of()));
        var api = new io.jcompose.runtime.api.model.ContainerInspect("abc", null, null, null, state, "sha256:img", null, null, null, null,
                "/shop-web-1", 0, null, null, null, null, List.of(), cfg, null, null, null);
        ContainerInspect i = ApiMapping.inspect(api);
        assertThat(i.name()).isEqualTo("shop-web-1");
        assertThat(i.imageId()).isEqualTo("sha256:img");
        assertThat(i.hasHealthcheck()).isTrue();
        assertThat(i.state()).isEqualTo(new ContainerInspect.State("running", true, false, 0, null, "healthy"));
        assertThat(i.labels()).containsEntry("com.docker.compose.service", "web");

        var none = new io.jcompose.runtime.api.model.ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                new HealthConfig(List.of("NONE"), null, null, null, null, null), "busybox", null, null, null, null, null, null, null, null, null);
        var disabled = new io.jcompose.runtime.api.model.ContainerInspect("abc", null, null, null, state, "i", null, null, null, null,
                "/x", 0, null, null, null, null, null, none, null, null, null);
        assertThat(ApiMapping.inspect(disabled).hasHealthcheck()).isFalse();
    }

    @Test
    void networksBothWays() {
        var req = new NetworkCreateRequest("shop_front", "bridge", true, false, null, null, Map.of(),
                Map.of("com.docker.compose.network", "front"), null,
                List.of(new NetworkCreateRequest.IpamPool("172.30.0.0/24", null, "172.30.0.1", Map.of())));
        JsonNode body = json(ApiMapping.network(req));
        assertThat(body.get("Name").asString()).isEqualTo("shop_front");
        assertThat(body.get("Internal").asBoolean()).isTrue();
        assertThat(body.get("IPAM").get("Config").get(0).get("Subnet").asString()).isEqualTo("172.30.0.0/24");
        assertThat(body.get("IPAM").get("Config").get(0).get("Gateway").asString()).isEqualTo("172.30.0.1");
        assertThat(body.get("Labels").get("com.docker.compose.network").asString()).isEqualTo("front");

        var res = new NetworkResource("shop_front", "n1", null, "local", "bridge", false, null, false, false, false, false,
                Map.of("c1", new NetworkResource.NetworkContainer("shop-web-1", "e", null, null, null)), Map.of(), Map.of("a", "b"));
        assertThat(ApiMapping.network(res)).isEqualTo(new io.jcompose.planner.engine.NetworkInfo("n1", "shop_front", "bridge",
                Map.of("a", "b"), java.util.Set.of("c1")));
    }

    @Test
    void pullParametersSplitLikeTheDockerClient() {
        assertThat(ApiMapping.pullParameters("busybox")).containsExactly("busybox", "latest");
        assertThat(ApiMapping.pullParameters("busybox:1.36")).containsExactly("busybox", "1.36");
        assertThat(ApiMapping.pullParameters("127.0.0.1:5000/lib/busybox")).containsExactly("127.0.0.1:5000/lib/busybox", "latest");
        assertThat(ApiMapping.pullParameters("127.0.0.1:5000/busybox:x")).containsExactly("127.0.0.1:5000/busybox", "x");
        assertThat(ApiMapping.pullParameters("busybox@sha256:abcd")).containsExactly("busybox", "sha256:abcd");
    }

    @Test
    void labelFiltersAreDockersFilterJson() {
        assertThat(ApiMapping.labels(List.of("com.docker.compose.project=shop", "com.docker.compose.oneoff=False")).toJson())
                .isEqualTo("{\"label\":{\"com.docker.compose.project=shop\":true,\"com.docker.compose.oneoff=False\":true}}");
        assertThat(ApiMapping.labels(List.of()).isEmpty()).isTrue();
    }
}
