package io.jcompose.planner.graph;

import static io.jcompose.planner.testing.Fixtures.dependsOn;
import static io.jcompose.planner.testing.Fixtures.project;
import static io.jcompose.planner.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.DependsOn;
import io.jcompose.model.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceGraphTest {
  private final List<String> warnings = new ArrayList<>();

  /** web → app → (db, cache); worker → db; lonely. */
  private Project stack() {
    return project("p",
        service("web", "dependsOn", dependsOn("app", "service_started")),
        service("app", "dependsOn", dependsOn("db", "service_healthy", "cache", "service_started")),
        service("worker", "links", List.of("db:database")),
        service("db"),
        service("cache"),
        service("lonely"));
  }

  @Test
  void startOrderPutsDependenciesFirstAndStopOrderReversesIt() {
    ServiceGraph g = ServiceGraph.of(stack(), warnings::add);
    List<String> start = g.startOrder();
    assertThat(start).containsExactlyInAnyOrder("web", "app", "worker", "db", "cache", "lonely");
    assertThat(start.indexOf("db")).isLessThan(start.indexOf("app"));
    assertThat(start.indexOf("cache")).isLessThan(start.indexOf("app"));
    assertThat(start.indexOf("app")).isLessThan(start.indexOf("web"));
    assertThat(start.indexOf("db")).isLessThan(start.indexOf("worker"));
    List<String> stop = g.stopOrder();
    assertThat(stop.indexOf("web")).isLessThan(stop.indexOf("app"));
    assertThat(stop.indexOf("app")).isLessThan(stop.indexOf("db"));
    assertThat(stop.indexOf("worker")).isLessThan(stop.indexOf("db"));
    assertThat(warnings).isEmpty();
  }

  @Test
  void levelsGiveMaximumParallelism() {
    ServiceGraph g = ServiceGraph.of(stack(), warnings::add);
    assertThat(g.startLevels()).containsExactly(
        List.of("cache", "db", "lonely"), List.of("app", "worker"), List.of("web"));
  }

  @Test
  void everyKindOfReferenceIsAnEdge() {
    Project p = project("p",
        service("a", "networkMode", "service:n", "ipc", "service:i", "pid", "service:x",
            "volumesFrom", List.of("v:ro", "service:w", "container:outside"), "links", List.of("l")),
        service("n"), service("i"), service("x"), service("v"), service("w"), service("l"));
    ServiceGraph g = ServiceGraph.of(p, warnings::add);
    assertThat(g.dependenciesOf("a").keySet()).containsExactly("l", "n", "i", "x", "v", "w");
    assertThat(g.dependenciesOf("a").get("n").kind()).isEqualTo(Dependency.Kind.NETWORK_MODE);
    assertThat(g.dependenciesOf("a").get("v").kind()).isEqualTo(Dependency.Kind.VOLUMES_FROM);
    assertThat(g.dependenciesOf("a").get("n").condition()).isEqualTo(DependsOn.SERVICE_STARTED);
    assertThat(g.dependentsOf("n")).extracting(Dependency::service).containsExactly("a");
  }

  @Test
  void cycleIsAnErrorNamingIt() {
    Project p = project("p",
        service("a", "dependsOn", dependsOn("b", "service_started")),
        service("b", "links", List.of("c")),
        service("c", "dependsOn", dependsOn("a", "service_healthy")),
        service("d", "dependsOn", dependsOn("a", "service_started")));
    assertThatThrownBy(() -> ServiceGraph.of(p, warnings::add))
        .isInstanceOf(DependencyException.class)
        .hasMessage("dependency cycle detected: a -> b -> c -> a");
  }

  @Test
  void selfDependencyIsACycle() {
    Project p = project("p", service("a", "volumesFrom", List.of("a")));
    assertThatThrownBy(() -> ServiceGraph.of(p, warnings::add)).hasMessage("dependency cycle detected: a -> a");
  }

  @Test
  void optionalDependencyOnMissingOrDisabledServiceIsSkippedWithAWarning() {
    var optional = Map.of("gone", new DependsOn("service_started", false, Map.of(), false),
        "off", new DependsOn("service_started", false, Map.of(), false));
    Project p = project("p", List.of(service("a", "dependsOn", optional)), List.of(service("off")), Map.of());
    ServiceGraph g = ServiceGraph.of(p, warnings::add);
    assertThat(g.dependenciesOf("a")).isEmpty();
    assertThat(warnings).containsExactlyInAnyOrder(
        "optional dependency \"gone\" of service \"a\" is not defined: ignored",
        "optional dependency \"off\" of service \"a\" is disabled by its profiles: ignored");
  }

  @Test
  void requiredDependencyOnDisabledServiceIsAnError() {
    Project p = project("p", List.of(service("a", "dependsOn", dependsOn("off", "service_started"))), List.of(service("off")), Map.of());
    assertThatThrownBy(() -> ServiceGraph.of(p, warnings::add))
        .isInstanceOf(DependencyException.class)
        .hasMessageStartingWith("service \"a\" depends on disabled service \"off\"");
  }

  @Test
  void subsetWithAndWithoutDependencies() {
    ServiceGraph g = ServiceGraph.of(stack(), warnings::add);
    assertThat(g.subset(List.of("web"), true).services()).containsExactly("app", "cache", "db", "web");
    ServiceGraph noDeps = g.subset(List.of("web", "app"), false);
    assertThat(noDeps.services()).containsExactly("app", "web");
    assertThat(noDeps.dependenciesOf("app")).isEmpty();
    assertThat(noDeps.dependenciesOf("web").keySet()).containsExactly("app");
    assertThatThrownBy(() -> g.subset(List.of("nope"), true)).hasMessage("no such service: nope");
    assertThat(g.transitiveDependencies("web")).containsExactlyInAnyOrder("app", "db", "cache");
  }
}
