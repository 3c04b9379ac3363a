package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fixture registries started by {@code fixtures/registry up} serve every test image under
 * its Docker Hub name, in the shape real registries serve them (see docs/fixtures.md). Plain
 * HTTP with the JDK's client, so a fault here is the fixtures', not our registry client's.
 */
@Tag("registry")
class FixtureRegistryTest {

    private static final URI ANONYMOUS = URI.create("http://127.0.0.1:5000");
    private static final URI AUTHENTICATED = URI.create("http://127.0.0.1:5001");
    private static final String CREDENTIALS = "jcompose:jcompose-pass";

    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String ZSTD_LAYER = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST,
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void registriesRun() {
        assumeTrue(answers(ANONYMOUS) && answers(AUTHENTICATED),
                "the fixture registries do not answer on 127.0.0.1:5000 and :5001: run `fixtures/registry up` first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"library/busybox:latest", "library/debian:bookworm-slim", "library/redis:7.0",
            "library/mariadb:10.11", "library/python:3.11-slim", "jcompose/layers:gzip", "jcompose/layers:zstd"})
    void servesEveryImageWithConsistentConfigAndLayers(String image) throws Exception {
        JsonNode top = manifest(ANONYMOUS, image, null);
        List<JsonNode> manifests = new ArrayList<>();
        if (OCI_INDEX.equals(top.path("mediaType").asString())) {
            for (JsonNode entry : top.path("manifests")) {
                manifests.add(manifest(ANONYMOUS, repository(image) + "@" + entry.path("digest").asString(), null));
            }
        } else {
            manifests.add(top);
        }

        for (JsonNode manifest : manifests) {
            assertThat(manifest.path("mediaType").asString()).isEqualTo(OCI_MANIFEST);
            assertThat(manifest.path("config").path("mediaType").asString()).isEqualTo(OCI_CONFIG);
            JsonNode config = JSON.readTree(blob(repository(image), manifest.path("config")));
            JsonNode layers = manifest.path("layers");
            assertThat(layers.size()).as("layers of %s", image).isPositive();
            assertThat(config.path("os").asString()).isEqualTo("linux");
            assertThat(config.path("rootfs").path("type").asString()).isEqualTo("layers");
            assertThat(config.path("rootfs").path("diff_ids").size()).isEqualTo(layers.size());
            long historyLayers = 0;
            for (JsonNode h : config.path("history")) {
                if (!h.path("empty_layer").asBoolean(false)) {
                    historyLayers++;
                }
            }
            assertThat(historyLayers).as("non-empty history entries of %s", image).isEqualTo(layers.size());
            assertThat(config.path("config").path("Env").toString()).contains("PATH=/usr/local/sbin:");
            assertThat(config.path("config").path("Labels").path("io.jcompose.fixture").isString()).isTrue();
            assertThat(config.path("config").path("Cmd").isArray()).isTrue();
        }
    }

    @Test
    void busyboxIsAnIndexForAmd64AndArm64() throws Exception {
        JsonNode index = manifest(ANONYMOUS, "library/busybox:latest", null);
        assertThat(index.path("mediaType").asString()).isEqualTo(OCI_INDEX);
        List<String> platforms = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            JsonNode platform = entry.path("platform");
            platforms.add(platform.path("os").asString() + "/" + platform.path("architecture").asString()
                    + (platform.has("variant") ? "/" + platform.path("variant").asString() : ""));
            JsonNode manifest = manifest(ANONYMOUS, "library/busybox@" + entry.path("digest").asString(), null);
            JsonNode config = JSON.readTree(blob("library/busybox", manifest.path("config")));
            assertThat(config.path("architecture").asString())
                    .isEqualTo(platform.path("architecture").asString());
            assertThat(config.path("config").path("Cmd").toString()).isEqualTo("[\"sh\"]");
        }
        assertThat(platforms).containsExactlyInAnyOrder("linux/amd64", "linux/arm64/v8");
    }

    @Test
    void layersImagesAreCompressedAsTheirMediaTypesSay() throws Exception {
        assertLayers("jcompose/layers:gzip", GZIP_LAYER, new byte[] {0x1f, (byte) 0x8b});
        assertLayers("jcompose/layers:zstd", ZSTD_LAYER, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
    }

    @Test
    void serviceImagesDeclarePortsVolumesAndCommandsLikeTheOfficialOnes() throws Exception {
        JsonNode redis = imageConfig("library/redis:7.0").path("config");
        assertThat(redis.path("ExposedPorts").has("6379/tcp")).isTrue();
        assertThat(redis.path("Cmd").toString()).isEqualTo("[\"redis-server\"]");
        assertThat(redis.path("Volumes").has("/data")).isTrue();
        assertThat(redis.path("WorkingDir").asString()).isEqualTo("/data");

        JsonNode mariadb = imageConfig("library/mariadb:10.11").path("config");
        assertThat(mariadb.path("ExposedPorts").has("3306/tcp")).isTrue();
        assertThat(mariadb.path("Volumes").has("/var/lib/mysql")).isTrue();
        assertThat(mariadb.path("Entrypoint").toString()).isEqualTo("[\"docker-entrypoint.sh\"]");
        assertThat(mariadb.path("Cmd").toString()).isEqualTo("[\"mariadbd\"]");

        assertThat(imageConfig("library/python:3.11-slim").path("config").path("Cmd").toString())
                .isEqualTo("[\"python3\"]");
        assertThat(imageConfig("library/debian:bookworm-slim").path("config").path("Cmd").toString())
                .isEqualTo("[\"bash\"]");
    }

    @Test
    void authenticatedRegistryRefusesAnonymousAndAcceptsTheFixtureCredentials() throws Exception {
        HttpResponse<byte[]> anonymous = get(AUTHENTICATED.resolve("/v2/"), null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm="));
        assertThat(get(AUTHENTICATED.resolve("/v2/library/busybox/manifests/latest"), ACCEPT, null).statusCode())
                .isEqualTo(401);
        assertThat(get(AUTHENTICATED.resolve("/v2/"), null, "jcompose:wrong").statusCode()).isEqualTo(401);

        HttpResponse<byte[]> withCredentials =
                get(AUTHENTICATED.resolve("/v2/library/busybox/manifests/latest"), ACCEPT, CREDENTIALS);
        assertThat(withCredentials.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> sameOnAnonymous =
                get(ANONYMOUS.resolve("/v2/library/busybox/manifests/latest"), ACCEPT, null);
        assertThat(withCredentials.headers().firstValue("Docker-Content-Digest"))
                .isEqualTo(sameOnAnonymous.headers().firstValue("Docker-Content-Digest"));
    }

    private static void assertLayers(String image, String mediaType, byte[] magic) throws Exception {
        JsonNode manifest = manifest(ANONYMOUS, image, null);
        JsonNode layers = manifest.path("layers");
        assertThat(layers.size()).as("layers of %s", image).isEqualTo(3);
        for (JsonNode layer : layers) {
            assertThat(layer.path("mediaType").asString()).as("a layer of %s", image).isEqualTo(mediaType);
            byte[] content = blob(repository(image), layer);
            assertThat(content).as("start of a layer of %s", image).startsWith(magic);
        }
    }

    private static JsonNode imageConfig(String image) throws Exception {
        JsonNode manifest = manifest(ANONYMOUS, image, null);
        return JSON.readTree(blob(repository(image), manifest.path("config")));
    }

    /** GETs a manifest by tag ({@code repo:tag}) or digest ({@code repo@sha256:...}) and checks its digest. */
    private static JsonNode manifest(URI registry, String reference, String credentials) throws Exception {
        int at = reference.indexOf('@');
        int colon = reference.lastIndexOf(':');
        String repository = at >= 0 ? reference.substring(0, at) : reference.substring(0, colon);
        String tagOrDigest = at >= 0 ? reference.substring(at + 1) : reference.substring(colon + 1);
        HttpResponse<byte[]> response =
                get(registry.resolve("/v2/" + repository + "/manifests/" + tagOrDigest), ACCEPT, credentials);
        assertThat(response.statusCode()).as("GET manifest %s", reference).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Content-Digest"))
                .as("digest of %s", reference).hasValue(sha256(response.body()));
        return JSON.readTree(response.body());
    }

    /** GETs the blob a descriptor names and checks its size and digest. */
    private static byte[] blob(String repository, JsonNode descriptor) throws Exception {
        String digest = descriptor.path("digest").asString();
        HttpResponse<byte[]> response = get(ANONYMOUS.resolve("/v2/" + repository + "/blobs/" + digest), null, null);
        assertThat(response.statusCode()).as("GET blob %s", digest).isEqualTo(200);
        assertThat((long) response.body().length).isEqualTo(descriptor.path("size").asLong());
        assertThat(sha256(response.body())).isEqualTo(digest);
        return response.body();
    }

    private static HttpResponse<byte[]> get(URI uri, String accept, String credentials)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (credentials != null) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static boolean answers(URI registry) {
        try {
            int status = get(registry.resolve("/v2/"), null, null).statusCode();
            return status == 200 || status == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String repository(String image) {
        return image.substring(0, image.lastIndexOf(':'));
    }

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
