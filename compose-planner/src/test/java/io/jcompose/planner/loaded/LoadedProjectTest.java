package io.jcompose.planner.loaded;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.DownOptions;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.plan.UpOptions;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.planner.reconcile.Reconciler;
import io.jcompose.planner.testing.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Compose file read by the real loader, planned and reconciled against the engine fake. */
class LoadedProjectTest {
  @TempDir Path dir;

  private Project load(String yaml) throws Exception {
    Files.writeString(dir.resolve("compose.yaml"), yaml);
    return ProjectLoader.load(LoadOptions.defaults().withProjectDirectory(dir.toString())
        .withFiles(List.of(dir.resolve("compose.yaml").toString())).withProjectName("devstack"));
  }

  @Test
  void aDevstackFileComesUpAndGoesDownWithComposeNames() throws Exception {
    Project p = load("""
        services:
          web:
            image: python:3.11-slim
            command: python -m http.server 8000
            ports: ["8080:8000"]
            environment:
              REDIS_HOST: cache
            depends_on:
              db: {condition: service_healthy}
              cache: {condition: service_started}
          db:
            image: mariadb:11
            volumes: ["dbdata:/var/lib/mysql", "./init:/docker-entrypoint-initdb.d:ro"]
            healthcheck:
              test: ["CMD", "healthcheck.sh", "--connect"]
              interval: 2s
              retries: 10
          cache:
            image: redis:7
            networks: [default, back]
        networks:
          back: {}
        volumes:
          dbdata: {}
        """);
    FakeEngine engine = new FakeEngine().behave("db", new FakeEngine.Behaviour.Health(2, true));
    Reconciler r = new Reconciler(engine, e -> {}, ReconcileOptions.defaults().withPollInterval(Duration.ofMillis(1)));
    r.up(Planner.up(p, ObservedState.observe(engine, "devstack"), UpOptions.defaults()));

    assertThat(engine.containers().keySet()).containsExactly("devstack-cache-1", "devstack-db-1", "devstack-web-1");
    assertThat(engine.networkNames()).containsExactly("devstack_back", "devstack_default");
    assertThat(engine.volumeNames()).contains("devstack_dbdata");
    var web = engine.containers().get("devstack-web-1").request();
    assertThat(web.config().cmd()).containsExactly("python", "-m", "http.server", "8000");
    assertThat(web.config().env()).contains("REDIS_HOST=cache");
    assertThat(web.hostConfig().portBindings().get("8000/tcp")).singleElement()
        .satisfies(b -> assertThat(b.hostPort()).isEqualTo("8080"));
    assertThat(web.config().labels()).containsEntry("com.docker.compose.project.working_dir", dir.toRealPath().toString())
        .containsEntry("com.docker.compose.depends_on", "db:service_healthy:false,cache:service_started:false");
    var db = engine.containers().get("devstack-db-1").request();
    assertThat(db.hostConfig().binds()).contains("devstack_dbdata:/var/lib/mysql");
    assertThat(db.hostConfig().binds()).anySatisfy(b -> assertThat(b).endsWith("/init:/docker-entrypoint-initdb.d:ro"));
    assertThat(db.config().healthcheck().interval()).isEqualTo(2_000_000_000L);
    assertThat(engine.containers().get("devstack-cache-1").request().endpoints().keySet())
        .containsExactlyInAnyOrder("devstack_default", "devstack_back");
    assertThat(engine.journal()).containsSubsequence("start devstack-db-1", "create devstack-web-1");

    // the same file again changes nothing
    engine.clearJournal();
    var again = Planner.up(p, ObservedState.observe(engine, "devstack"), UpOptions.defaults());
    assertThat(again.isNoop()).isTrue();

    r.down(Planner.down(p, ObservedState.observe(engine, "devstack"), DownOptions.defaults()));
    assertThat(engine.containers()).isEmpty();
    assertThat(engine.networkNames()).isEmpty();
    assertThat(engine.volumeNames()).as("down keeps named volumes").contains("devstack_dbdata");
    r.down(Planner.down(p, ObservedState.observe(engine, "devstack"), new DownOptions(true, false, null)));
    assertThat(engine.volumeNames()).doesNotContain("devstack_dbdata");
  }
}
