package io.jcompose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun;
import io.jcompose.it.support.ComposeRuns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code jcompose config --resolve-image-digests} against a real jcomposed: the engine's
 * {@code GET /distribution/{name}/json} asks the registry (through the Docker Hub mirror for
 * {@code busybox}), and the digests printed are the ones the fixture registry itself reports in
 * {@code Docker-Content-Digest}.
 */
@Tag("root")
@Tag("registry")
class ConfigDigestsTest {
    @RegisterExtension final ComposeRuns compose = new ComposeRuns();

    ComposeRun run;

    @Test
    void imagesArePinnedToTheRegistrysDigestsInComposeGosForm() throws Exception {
        Path file = compose.dir().resolve("compose.yaml");
        String pinned = "sha256:" + "ab".repeat(32);
        Files.writeString(file, """
                services:
                  hub:
                    image: busybox
                  local:
                    image: 127.0.0.1:5000/library/redis:7.0
                  already:
                    image: busybox:1.36@%s
                  built:
                    build: .
                """.formatted(pinned));
        run = compose.prepare(file);

        ComposeRun.Result r = run.jcompose("config", "--resolve-image-digests");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("image: docker.io/library/busybox:latest@" + registryDigest("library/busybox", "latest"))
                .contains("image: 127.0.0.1:5000/library/redis:7.0@" + registryDigest("library/redis", "7.0"))
                .contains("image: docker.io/library/busybox@" + pinned);
        assertThat(r.out().lines().filter(l -> l.strip().startsWith("image:")).count()).as("the built service gets no image").isEqualTo(3);
    }

    @Test
    void anImageTheRegistryDoesNotHaveIsOneClearError() throws Exception {
        Path file = compose.dir().resolve("compose.yaml");
        Files.writeString(file, "services:\n  a:\n    image: 127.0.0.1:5000/no/such-image:1\n");
        run = compose.prepare(file);

        ComposeRun.Result r = run.jcompose("config", "--resolve-image-digests");

        assertThat(r.code()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).doesNotContain("\tat ").contains("no/such-image").hasLineCount(1);
    }

    /** What the fixture registry says the tag's manifest (or index) digest is. */
    private static String registryDigest(String repo, String tag) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(ComposeRun.MIRROR + "/v2/" + repo + "/manifests/" + tag))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept", String.join(",", "application/vnd.oci.image.index.v1+json",
                            "application/vnd.docker.distribution.manifest.list.v2+json",
                            "application/vnd.oci.image.manifest.v1+json",
                            "application/vnd.docker.distribution.manifest.v2+json"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            return head.headers().firstValue("Docker-Content-Digest").orElseThrow();
        }
    }
}
