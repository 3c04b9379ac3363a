package io.jcompose.runtime.image.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildGraphTest {
  private static final String MULTI = """
      ARG BASE=debian
      ARG TAG
      FROM ${BASE}:${TAG:-bookworm-slim} AS deps
      RUN echo deps
      FROM busybox AS tools
      RUN echo tools
      FROM deps AS build
      ARG SRC=tools
      COPY --from=${SRC} /bin/x /x
      FROM alpine AS unused
      RUN echo never
      FROM build
      COPY --from=0 /a /a
      COPY --from=nginx:1 /etc/nginx /etc/nginx
      """;

  private static BuildGraph graph(Map<String, String> args, String target) {
    return BuildGraph.resolve(DockerfileParser.parse("Dockerfile", MULTI), args, target);
  }

  private static List<Integer> indexes(List<BuildGraph.Node> nodes) {
    return nodes.stream().map(n -> n.stage().index()).toList();
  }

  @Test
  void lastStageByDefaultAndUnusedStagesSkipped() {
    BuildGraph g = graph(Map.of(), null);
    assertThat(g.target().stage().index()).isEqualTo(4);
    assertThat(indexes(g.stages())).containsExactly(0, 1, 2, 4);
    assertThat(g.stages().getFirst().baseImage()).isEqualTo("debian:bookworm-slim");
    BuildGraph.Node build = g.stages().get(2);
    assertThat(build.baseImage()).isNull();
    assertThat(build.baseStage()).isZero();
    assertThat(build.dependencies()).containsExactlyInAnyOrder(0, 1);
    assertThat(g.target().images()).containsExactly("nginx:1");
  }

  @Test
  void wavesAllowParallelStages() {
    List<List<BuildGraph.Node>> waves = graph(Map.of(), null).waves();
    assertThat(waves).hasSize(3);
    assertThat(indexes(waves.get(0))).containsExactly(0, 1);
    assertThat(indexes(waves.get(1))).containsExactly(2);
    assertThat(indexes(waves.get(2))).containsExactly(4);
  }

  @Test
  void targetAndBuildArgs() {
    BuildGraph g = graph(Map.of("BASE", "ubuntu", "TAG", "24.04", "SRC", "0"), "BUILD");
    assertThat(indexes(g.stages())).containsExactly(0, 2);
    assertThat(g.stages().getFirst().baseImage()).isEqualTo("ubuntu:24.04");
    assertThat(g.metaArgs()).containsEntry("BASE", "ubuntu");
    assertThat(indexes(graph(Map.of(), "unused").stages())).containsExactly(3);
    assertThatThrownBy(() -> graph(Map.of(), "nope")).hasMessage("Dockerfile: target stage \"nope\" could not be found");
    assertThatThrownBy(() -> graph(Map.of(), "bulid")).hasMessage("Dockerfile: target stage \"bulid\" could not be found (did you mean build?)");
  }

  @Test
  void selfReferencesCyclesAndBadIndexesAreRefused() {
    assertThatThrownBy(() -> BuildGraph.resolve(DockerfileParser.parse("Dockerfile",
        "FROM a AS x\nCOPY --from=x /a /b\n"), Map.of(), null))
        .hasMessage("Dockerfile:2: circular dependency detected on stage: x");
    assertThatThrownBy(() -> BuildGraph.resolve(DockerfileParser.parse("Dockerfile",
        "FROM a\nCOPY --from=2 /a /b\nFROM b\n"), Map.of(), "0"))
        .hasMessage("Dockerfile:2: invalid stage index 2");
    assertThatThrownBy(() -> BuildGraph.resolve(DockerfileParser.parse("Dockerfile",
        "FROM a AS one\nCOPY --from=two /a /b\nFROM b AS two\nCOPY --from=one /a /b\n"), Map.of(), null))
        .hasMessageStartingWith("Dockerfile: circular dependency detected on stage: ");
    assertThatThrownBy(() -> BuildGraph.resolve(DockerfileParser.parse("Dockerfile", "ARG X\nFROM $X\n"), Map.of(), null))
        .hasMessage("Dockerfile:2: base name ($X) should not be blank");
  }

  @Test
  void copyFromALaterStageIsADependencyBuiltFirst() {
    BuildGraph g = BuildGraph.resolve(DockerfileParser.parse("Dockerfile",
        "FROM a AS app\nCOPY --from=assets /x /x\nCOPY --from=2 /y /y\nFROM b AS assets\nFROM c\n"), Map.of(), "app");
    assertThat(indexes(g.stages())).containsExactly(1, 2, 0);
    assertThat(g.waves()).hasSize(2);
    assertThat(indexes(g.waves().get(0))).containsExactly(1, 2);
  }

  @Test
  void laterStageNameInFromIsAnImage() {
    BuildGraph g = BuildGraph.resolve(DockerfileParser.parse("Dockerfile", "FROM later\nFROM a AS later\n"), Map.of(), "0");
    assertThat(g.target().baseImage()).isEqualTo("later");
    assertThat(g.target().dependencies()).isEmpty();
  }

  @Test
  void runMountFromIsADependency() {
    BuildGraph g = BuildGraph.resolve(DockerfileParser.parse("Dockerfile",
        "FROM a AS cache\nFROM b\nRUN --mount=type=bind,from=cache,target=/c true\n"), Map.of(), null);
    assertThat(g.target().dependencies()).containsExactly(0);
  }
}
