package io.jcompose.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {
  @TempDir Path tmp;

  private LoadOptions options(Path cwd) {
    return LoadOptions.defaults().withEnvironment(Map.of("HOME", "/home/u")).withCurrentDirectory(cwd);
  }

  private Path write(String rel, String content) throws IOException {
    Path p = tmp.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void loadsTypedProject() throws IOException {
    write("My App/compose.yaml", """
        services:
          web:
            image: nginx
            ports: ["127.0.0.1:8080:80/tcp"]
            volumes: ["./data:/data:ro"]
            depends_on: [db]
            healthcheck:
              test: curl -f localhost
              interval: 1m30s
            ulimits: {nofile: {soft: 1, hard: 2}}
          db:
            image: postgres
            environment: [POSTGRES_PASSWORD=x]
        """);
    Project p = ProjectLoader.load(options(tmp.resolve("My App")));
    assertThat(p.name()).isEqualTo("myapp");
    assertThat(p.workingDir()).isEqualTo(tmp.resolve("My App").toString());
    Service web = p.service("web");
    assertThat(web.ports()).containsExactly(new PortConfig(null, "ingress", "127.0.0.1", 80, "8080", "tcp", null, Map.of()));
    ServiceVolume v = web.volumes().getFirst();
    assertThat(v.type()).isEqualTo("bind");
    assertThat(v.source()).isEqualTo(tmp.resolve("My App/data").toString());
    assertThat(v.readOnly()).isTrue();
    assertThat(web.dependsOn()).containsEntry("db", new DependsOn("service_started", false, Map.of(), true));
    assertThat(web.healthcheck().test()).containsExactly("CMD-SHELL", "curl -f localhost");
    assertThat(web.healthcheck().interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(web.ulimits().get("nofile")).isEqualTo(new Ulimit.Range(1, 2));
    assertThat(web.networks()).containsKey("default");
    assertThat(p.networks().get("default").name()).isEqualTo("myapp_default");
    assertThat(p.service("db").environment()).containsEntry("POSTGRES_PASSWORD", "x");
  }

  @Test
  void portErrorNamesFileLineColumnPathAndSyntax() throws IOException {
    write("compose.yaml", "services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n      - \"80:80:80:80\"\n");
    assertThatThrownBy(() -> ProjectLoader.load(options(tmp)))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageStartingWith(
            tmp.resolve("compose.yaml") + ":6:9: services.web.ports[1]: \"80:80:80:80\" is not a port mapping (expected [HOST:]CONTAINER[/PROTOCOL])");
  }

  @Test
  void unknownKeyAndTypeErrorsAreLocated() throws IOException {
    write("compose.yaml", "services:\n  web:\n    image: nginx\n    imagee: x\n");
    assertThatThrownBy(() -> ProjectLoader.load(options(tmp).withFiles(List.of("compose.yaml"))))
        .hasMessage("compose.yaml:4:5: services.web: additional property \"imagee\" is not allowed");
    write("compose.yaml", "services:\n  web:\n    image: nginx\n    tty: maybe\n");
    assertThatThrownBy(() -> ProjectLoader.load(options(tmp).withFiles(List.of("compose.yaml"))))
        .hasMessage("compose.yaml:4:10: services.web.tty must be a boolean (true or false), not a string");
  }

  @Test
  void extendsCycleIsNamed() throws IOException {
    write("compose.yaml", "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: x\n    extends: a\n");
    assertThatThrownBy(() -> ProjectLoader.load(options(tmp).withFiles(List.of("compose.yaml"))))
        .hasMessageContaining("circular reference")
        .hasMessageContaining("compose.yaml:a")
        .hasMessageContaining("compose.yaml:b");
  }

  @Test
  void findsDefaultFilesInParentsWithOverride() throws IOException {
    write("proj/docker-compose.yml", "services:\n  a:\n    image: one\n");
    write("proj/compose.override.yml", "services:\n  a:\n    image: two\n");
    Files.createDirectories(tmp.resolve("proj/sub/deeper"));
    Project p = ProjectLoader.load(options(tmp.resolve("proj/sub/deeper")));
    assertThat(p.service("a").image()).isEqualTo("two");
    assertThat(p.name()).isEqualTo("proj");
    assertThat(p.composeFiles()).containsExactly(tmp.resolve("proj/docker-compose.yml").toString(), tmp.resolve("proj/compose.override.yml").toString());
  }

  @Test
  void nameShellOverDotEnvAndProfiles() throws IOException {
    write("compose.yaml", "name: ${NAME}\nservices:\n  a:\n    image: x\n  b:\n    image: y\n    profiles: [dev]\n");
    write(".env", "NAME=FromDotEnv\nCOMPOSE_PROFILES=dev\n");
    Project p = ProjectLoader.load(options(tmp));
    assertThat(p.name()).isEqualTo("fromdotenv");
    assertThat(p.serviceNames()).containsExactly("a", "b");
    Project shell = ProjectLoader.load(options(tmp).withEnvironment(Map.of("NAME", "Shell_Name", "COMPOSE_PROFILES", "")));
    assertThat(shell.name()).isEqualTo("shell_name");
    assertThat(shell.serviceNames()).containsExactly("a");
    assertThat(shell.disabledServices()).containsKey("b");
  }

  @Test
  void stdinAndMinimalServices() {
    Project p =
        ProjectLoader.load(
            options(tmp).withProjectName("t").withFiles(List.of("-")).withStdin(() -> "services:\n  a:\n    image: x\n"));
    assertThat(p.service("a").image()).isEqualTo("x");
    Service s = Service.of("b", "busybox");
    assertThat(s.name()).isEqualTo("b");
    assertThat(s.ports()).isEmpty();
    assertThat(s.command()).isNull();
    assertThat(s.replicas()).isEqualTo(1);
  }

  @Test
  void missingFilesAndBadNames() throws IOException {
    assertThatThrownBy(() -> ProjectLoader.load(options(tmp))).hasMessageStartingWith("no configuration file provided");
    write("compose.yaml", "services:\n  a:\n    image: x\n");
    assertThatThrownBy(() -> ProjectLoader.load(options(tmp).withProjectName("Bad Name"))).hasMessageStartingWith("invalid project name");
    assertThat(ProjectLoader.normalizeName("__My.App-1")).isEqualTo("myapp-1");
  }
}
