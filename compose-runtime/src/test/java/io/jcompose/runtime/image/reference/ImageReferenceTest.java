package io.jcompose.runtime.image.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

  private static final String HEX = "a".repeat(64);

  @ParameterizedTest
  @CsvSource({
    "redis, docker.io/library/redis:latest, redis:latest",
    "redis:7, docker.io/library/redis:7, redis:7",
    "user/app, docker.io/user/app:latest, user/app:latest",
    "docker.io/user/app:1.0, docker.io/user/app:1.0, user/app:1.0",
    "index.docker.io/library/busybox, docker.io/library/busybox:latest, busybox:latest",
    "docker.io/library/a/b, docker.io/library/a/b:latest, library/a/b:latest",
    "localhost/app, localhost/app:latest, localhost/app:latest",
    "localhost:5000/ns/app:tag, localhost:5000/ns/app:tag, localhost:5000/ns/app:tag",
    "127.0.0.1:5000/library/busybox:1.36, 127.0.0.1:5000/library/busybox:1.36,"
        + " 127.0.0.1:5000/library/busybox:1.36",
    "quay.io/prometheus/node-exporter, quay.io/prometheus/node-exporter:latest,"
        + " quay.io/prometheus/node-exporter:latest",
    "my-reg.example.com/a__b/c-d--e:v1_2.3-x, my-reg.example.com/a__b/c-d--e:v1_2.3-x,"
        + " my-reg.example.com/a__b/c-d--e:v1_2.3-x",
    "Host.Example.com/app, Host.Example.com/app:latest, Host.Example.com/app:latest",
  })
  void normalisesLikeDocker(String input, String canonical, String familiar) {
    ImageReference ref = ImageReference.parse(input);
    assertThat(ref.toString()).isEqualTo(canonical);
    assertThat(ref.familiar()).isEqualTo(familiar);
  }

  @Test
  void splitsDomainPathTag() {
    ImageReference ref = ImageReference.parse("host:5000/ns/app:tag");
    assertThat(ref.domain()).isEqualTo("host:5000");
    assertThat(ref.path()).isEqualTo("ns/app");
    assertThat(ref.tag()).isEqualTo("tag");
    assertThat(ref.digest()).isNull();
    assertThat(ref.manifestReference()).isEqualTo("tag");
    assertThat(ref.isDockerHub()).isFalse();
  }

  @Test
  void digestOnlyHasNoDefaultTag() {
    ImageReference ref = ImageReference.parse("busybox@sha256:" + HEX);
    assertThat(ref.tag()).isNull();
    assertThat(ref.digest()).isEqualTo(new Digest("sha256", HEX));
    assertThat(ref.toString()).isEqualTo("docker.io/library/busybox@sha256:" + HEX);
    assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
  }

  @Test
  void tagAndDigestKeepsBothAndPullsByDigest() {
    ImageReference ref = ImageReference.parse("127.0.0.1:5000/app:1.0@sha256:" + HEX);
    assertThat(ref.tag()).isEqualTo("1.0");
    assertThat(ref.digest().hex()).isEqualTo(HEX);
    assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
    assertThat(ref.toString()).isEqualTo("127.0.0.1:5000/app:1.0@sha256:" + HEX);
  }

  @Test
  void hostWithPortButNoPathIsATag() {
    // Docker reads "host:5000" as image "host" with tag "5000".
    assertThat(ImageReference.parse("host:5000").toString())
        .isEqualTo("docker.io/library/host:5000");
  }

  @Test
  void withTagAndDigest() {
    ImageReference ref = ImageReference.parse("redis");
    assertThat(ref.withTag("7").toString()).isEqualTo("docker.io/library/redis:7");
    assertThat(ref.withDigestOnly(new Digest("sha256", HEX)).familiar())
        .isEqualTo("redis@sha256:" + HEX);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| empty",
        "Redis| must be lowercase",
        "docker.io/User/app| must be lowercase",
        "redis:| tag \"\"",
        "redis:-bad| tag \"-bad\"",
        "a//b| path component \"\"",
        "app-| path component \"app-\"",
        "-app| path component \"-app\"",
        "redis@sha256:abc| invalid sha256 digest",
        "redis@md5:" + "0123456789abcdef0123456789abcdef| unsupported digest algorithm",
        "redis@| expected the form sha256",
        "bad_host.com:x/app| not a valid registry host",
        ":tag| repository name is empty",
      })
  void rejectsInvalidReferencesWithAClearMessage(String input, String message) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsImageIdsAsNames() {
    assertThatThrownBy(() -> ImageReference.parse(HEX))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("image ids");
  }

  @Test
  void rejectsOverlongNames() {
    assertThatThrownBy(() -> ImageReference.parse("a/" + "b".repeat(300)))
        .hasMessageContaining("longer than 255");
  }

  @Test
  void tooLongTagIsRejected() {
    assertThatThrownBy(() -> ImageReference.parse("a:" + "t".repeat(129)))
        .hasMessageContaining("1-128 characters");
  }
}
