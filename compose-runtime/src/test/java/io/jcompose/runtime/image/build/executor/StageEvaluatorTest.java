package io.jcompose.runtime.image.build.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.build.dockerfile.Dockerfile;
import io.jcompose.runtime.image.build.dockerfile.DockerfileParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StageEvaluatorTest {
  private static final String BASE = """
      {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin:/bin"],"Cmd":["sh"],
       "OnBuild":["ENV FROM_TRIGGER=1"],"ArgsEscaped":true},
       "rootfs":{"type":"layers","diff_ids":["sha256:aaaa"]},"history":[{"created_by":"base"}]}
      """;

  private static List<Step> eval(String dockerfile, ImageConfigBuilder config, Map<String, String> buildArgs) {
    Dockerfile df = DockerfileParser.parse("Dockerfile", dockerfile);
    return new StageEvaluator("Dockerfile", '\\', buildArgs, Map.of("GLOBAL", "g"), Map.of("TARGETARCH", "amd64"))
        .evaluate(df.stages().getLast(), config);
  }

  @Test
  void configFieldsAsDockerWritesThem() {
    ImageConfigBuilder config = ImageConfigBuilder.from(BASE.getBytes(StandardCharsets.UTF_8));
    List<Step> steps = eval("""
        FROM base
        ARG VERSION=1.0 GLOBAL TARGETARCH UNSET
        ENV APP_HOME=/app PATH=/app/bin:$PATH
        LABEL org.opencontainers.image.version=$VERSION "multi word"="a b"
        WORKDIR $APP_HOME
        WORKDIR sub/..//src
        USER app:app
        EXPOSE 80 53/udp 8000-8001
        VOLUME ["/data"]
        STOPSIGNAL SIGINT
        HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/
        SHELL ["/bin/bash", "-c"]
        ENTRYPOINT ["python"]
        ONBUILD COPY . /src
        """, config, Map.of());
    JsonNode c = config.tree().get("config");
    assertThat(c.get("Env").toString()).isEqualTo("[\"PATH=/app/bin:/usr/bin:/bin\",\"FROM_TRIGGER=1\",\"APP_HOME=/app\"]");
    assertThat(c.get("Labels").get("org.opencontainers.image.version").asString()).isEqualTo("1.0");
    assertThat(c.get("Labels").get("multi word").asString()).isEqualTo("a b");
    assertThat(c.get("WorkingDir").asString()).isEqualTo("/app/src");
    assertThat(c.get("User").asString()).isEqualTo("app:app");
    assertThat(c.get("ExposedPorts").propertyNames()).containsExactlyInAnyOrder("80/tcp", "53/udp", "8000/tcp", "8001/tcp");
    assertThat(c.get("Volumes").propertyNames()).containsExactly("/data");
    assertThat(c.get("StopSignal").asString()).isEqualTo("SIGINT");
    assertThat(c.get("Healthcheck").toString())
        .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"],\"Interval\":30000000000,\"Retries\":3}");
    assertThat(c.get("Shell").toString()).isEqualTo("[\"/bin/bash\",\"-c\"]");
    assertThat(c.get("Entrypoint").toString()).isEqualTo("[\"python\"]");
    assertThat(c.get("Cmd").isNull()).as("inherited CMD dropped by ENTRYPOINT").isTrue();
    assertThat(c.get("OnBuild").toString()).as("base triggers ran, not inherited").isEqualTo("[\"COPY . /src\"]");
    assertThat(c.get("ArgsEscaped").asBoolean()).as("unknown base fields kept").isTrue();

    assertThat(steps.stream().map(Step::createdBy).toList()).containsExactly(
        "ENV FROM_TRIGGER=1",
        "ARG VERSION=1.0 GLOBAL=g TARGETARCH=amd64 UNSET",
        "ENV APP_HOME=/app PATH=/app/bin:/usr/bin:/bin",
        "LABEL org.opencontainers.image.version=1.0 multi word=a b",
        "WORKDIR /app",
        "WORKDIR /app/src",
        "USER app:app",
        "EXPOSE map[53/udp:{} 80/tcp:{} 8000/tcp:{} 8001/tcp:{}]",
        "VOLUME [/data]",
        "STOPSIGNAL SIGINT",
        "HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x03'}",
        "SHELL [/bin/bash -c]",
        "ENTRYPOINT [\"python\"]",
        "ONBUILD COPY . /src");
    assertThat(steps.stream().filter(Step::makesLayer).count()).isEqualTo(2);
  }

  @Test
  void runSeesArgsAndShowsThemInHistory() {
    ImageConfigBuilder config = ImageConfigBuilder.scratch("linux", "amd64", null);
    List<Step> steps = eval("""
        FROM scratch
        ARG A=1
        ARG B
        ARG C=3
        ENV C=3
        USER 1000
        RUN echo $A $B
        RUN ["echo", "exec"]
        CMD python app.py
        """, config, Map.of("B", "two", "UNUSED", "x"));
    Step.Run run = (Step.Run) steps.get(5);
    assertThat(run.createdBy()).isEqualTo("RUN |2 A=1 B=two /bin/sh -c echo $A $B # buildkit");
    assertThat(run.argv()).containsExactly("/bin/sh", "-c", "echo $A $B");
    assertThat(run.env()).containsExactly(
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "C=3", "A=1", "B=two");
    assertThat(run.user()).isEqualTo("1000");
    assertThat(run.workingDir()).isEqualTo("/");
    assertThat(run.buildArgs()).containsEntry("B", "two");
    assertThat(steps.get(6).createdBy()).isEqualTo("RUN |2 A=1 B=two echo exec # buildkit");
    assertThat(steps.get(7).createdBy()).isEqualTo("CMD [\"/bin/sh\" \"-c\" \"python app.py\"]");
    assertThat(config.tree().get("config").get("Cmd").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"python app.py\"]");
  }

  @Test
  void copyStepsAreExpandedWithTheStageEnv() {
    ImageConfigBuilder config = ImageConfigBuilder.scratch("linux", "amd64", null);
    List<Step> steps = eval("""
        FROM scratch
        ARG DEST=/opt
        WORKDIR /w
        COPY --chown=1:1 --link requirements.txt ${DEST}/
        ADD app.tar.gz .
        """, config, Map.of());
    Step.Copy copy = (Step.Copy) steps.get(2);
    assertThat(copy.createdBy()).isEqualTo("COPY --chown=1:1 --link requirements.txt /opt/ # buildkit");
    assertThat(copy.workingDir()).isEqualTo("/w");
    assertThat(steps.get(3).createdBy()).isEqualTo("ADD app.tar.gz . # buildkit");
  }

  @Test
  void badPortNamesTheLine() {
    assertThatThrownBy(() -> eval("FROM scratch\nEXPOSE 80/xtp\n", ImageConfigBuilder.scratch("linux", "amd64", null), Map.of()))
        .hasMessage("Dockerfile:2: invalid proto: xtp");
    assertThatThrownBy(() -> eval("FROM scratch\nEXPOSE abc\n", ImageConfigBuilder.scratch("linux", "amd64", null), Map.of()))
        .hasMessage("Dockerfile:2: invalid containerPort: abc");
  }

  @Test
  void goDurations() {
    assertThat(StageEvaluator.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(StageEvaluator.goDuration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(StageEvaluator.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(StageEvaluator.goDuration(Duration.ofHours(2))).isEqualTo("2h0m0s");
    assertThat(StageEvaluator.goDuration(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void historyAndLayers() {
    ImageConfigBuilder config = ImageConfigBuilder.from(BASE.getBytes(StandardCharsets.UTF_8));
    config.addLayer("sha256:bbbb");
    config.history("2026-01-01T00:00:00Z", "RUN x # buildkit", false);
    config.history("2026-01-01T00:00:00Z", "ENV A=1", true);
    JsonNode t = config.tree();
    assertThat(t.get("rootfs").get("diff_ids").toString()).isEqualTo("[\"sha256:aaaa\",\"sha256:bbbb\"]");
    assertThat(t.get("history").get(1).toString())
        .isEqualTo("{\"created\":\"2026-01-01T00:00:00Z\",\"created_by\":\"RUN x # buildkit\",\"comment\":\"buildkit.dockerfile.v0\"}");
    assertThat(t.get("history").get(2).get("empty_layer").asBoolean()).isTrue();
  }
}
