package io.jcompose.model.print;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrinterTest {
  @TempDir Path tmp;

  private Project load(String yaml) throws IOException {
    Path dir = tmp.resolve("p");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("compose.yaml"), yaml);
    return ProjectLoader.load(LoadOptions.defaults().withEnvironment(Map.of()).withCurrentDirectory(dir).withFiles(List.of("compose.yaml")));
  }

  @Test
  void printsCanonicalYaml() throws IOException {
    Project p = load("services:\n  web:\n    image: nginx\n    environment: {A: 1, B: 'yes', C: 'a: b', D: $$x}\n    shm_size: 1k\n");
    assertThat(ConfigPrinter.yaml(p))
        .isEqualTo(
            """
            name: p
            services:
              web:
                environment:
                  A: "1"
                  B: "yes"
                  C: 'a: b'
                  D: $$x
                image: nginx
                networks:
                  default: null
                shm_size: "1024"
            networks:
              default:
                name: p_default
            """);
  }

  @Test
  void printsJsonAndLists() throws IOException {
    Project p = load("services:\n  b:\n    image: x\n    profiles: [dev]\n  a:\n    build: .\n    volumes: [data:/d]\nvolumes:\n  data:\n");
    assertThat(ConfigPrinter.json(p)).startsWith("{\n  \"name\": \"p\",\n  \"networks\": {").doesNotEndWith("\n");
    assertThat(ConfigPrinter.services(p)).isEqualTo("a\n");
    assertThat(ConfigPrinter.volumes(p)).isEqualTo("data\n");
    assertThat(ConfigPrinter.networks(p)).isEqualTo("default\n");
    assertThat(ConfigPrinter.profiles(p)).isEqualTo("dev\n");
    assertThat(ConfigPrinter.images(p)).isEqualTo("p-a\n");
  }
}
