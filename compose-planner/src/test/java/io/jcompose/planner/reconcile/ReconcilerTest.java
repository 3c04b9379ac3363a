package io.jcompose.planner.reconcile;

import static io.jcompose.planner.testing.Fixtures.dependsOn;
import static io.jcompose.planner.testing.Fixtures.project;
import static io.jcompose.planner.testing.Fixtures.record;
import static io.jcompose.planner.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.VolumeConfig;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.DownOptions;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.plan.UpOptions;
import io.jcompose.planner.reconcile.ProgressEvent.Kind;
import io.jcompose.planner.reconcile.ProgressEvent.Status;
import io.jcompose.planner.testing.FakeEngine;
import io.jcompose.planner.testing.FakeEngine.Behaviour;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private final FakeEngine engine = new FakeEngine();
  private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
  private ReconcileOptions options = ReconcileOptions.defaults().withPollInterval(Duration.ofMillis(1));

  private static final Service DB = service("db", "image", "mariadb:11");
  private static final Service CACHE = service("cache", "image", "redis:7");
  private static final Service WEB = service("web", "image", "python:3.11-slim",
      "dependsOn", dependsOn("db", "service_healthy", "cache", "service_started"));

  @org.junit.jupiter.api.BeforeEach
  void dbHasAHealthcheck() {
    engine.behave("db", new Behaviour.Health(1, true)); // web waits for service_healthy
  }

  @Test
  void dependencyWithoutHealthcheckCannotBeWaitedForHealthy() {
    engine.behave("db", new Behaviour.Runs());
    assertThatThrownBy(() -> up(project("p", WEB, DB, CACHE)))
        .hasMessage("dependency failed to start: container p-db-1 has no healthcheck configured");
  }

  private void up(Project p, UpOptions o) {
    new Reconciler(engine, events::add, options).up(Planner.up(p, ObservedState.observe(engine, p.name()), o));
  }

  private void up(Project p) {
    up(p, UpOptions.defaults());
  }

  private void down(Project p, DownOptions o) {
    new Reconciler(engine, events::add, options).down(Planner.down(p, ObservedState.observe(engine, p.name()), o));
  }

  private List<String> journal() {
    return engine.journal().stream().filter(s -> !s.startsWith("pull ")).toList();
  }

  private List<Status> statuses(String name) {
    return events.stream().filter(e -> e.name().equals(name)).map(ProgressEvent::status).toList();
  }

  @Test
  void freshUpCreatesNetworkFirstAndWaitsForAHealthyDependency() {
    engine.behave("db", new Behaviour.Health(3, true));
    up(project("p", WEB, DB, CACHE));
    List<String> j = journal();
    assertThat(j.getFirst()).isEqualTo("create network p_default");
    assertThat(j).containsSubsequence("create p-db-1", "start p-db-1", "create p-web-1", "start p-web-1");
    assertThat(j).containsSubsequence("start p-cache-1", "create p-web-1");
    assertThat(engine.containers().keySet()).containsExactly("p-cache-1", "p-db-1", "p-web-1");
    assertThat(statuses("p-db-1")).containsExactly(Status.CREATING, Status.CREATED, Status.STARTING, Status.STARTED, Status.WAITING, Status.HEALTHY);
    assertThat(statuses("p-web-1")).containsExactly(Status.CREATING, Status.CREATED, Status.STARTING, Status.STARTED);
    assertThat(statuses("p_default")).containsExactly(Status.CREATING, Status.CREATED);
    assertThat(events).filteredOn(e -> e.kind() == Kind.IMAGE).extracting(ProgressEvent::status).contains(Status.PULLING, Status.PULLED);
    assertThat(engine.labels("p-db-1")).containsEntry("com.docker.compose.image", engine.inspectImage("mariadb:11").id());
  }

  @Test
  void independentServicesStartInParallelAndChainsInOrder() {
    engine.slowStarts(150);
    Service[] fan = new Service[6];
    for (int i = 0; i < 5; i++) {
      fan[i] = service("s" + i);
    }
    fan[5] = service("last", "dependsOn", dependsOn("s0", "service_started", "s1", "service_started", "s2", "service_started",
        "s3", "service_started", "s4", "service_started"));
    up(project("p", fan));
    assertThat(engine.maxParallelStarts()).isGreaterThanOrEqualTo(2);
    List<String> j = journal();
    for (int i = 0; i < 5; i++) {
      assertThat(j.indexOf("start p-s" + i + "-1")).isLessThan(j.indexOf("create p-last-1"));
    }
  }

  @Test
  void rerunIsIdempotent() {
    up(project("p", WEB, DB, CACHE));
    engine.clearJournal();
    events.clear();
    up(project("p", WEB, DB, CACHE));
    assertThat(journal()).isEmpty();
    assertThat(statuses("p-web-1")).containsExactly(Status.RUNNING);
  }

  @Test
  void onlyTheChangedServiceIsRecreatedTheComposeWay() {
    up(project("p", WEB, DB, CACHE));
    String oldId = engine.containers().get("p-web-1").request().name();
    engine.clearJournal();
    Service web2 = service("web", "image", "python:3.11-slim", "dependsOn", dependsOn("db", "service_healthy", "cache", "service_started"),
        "environment", Map.of("MODE", "2"));
    up(project("p", web2, DB, CACHE));
    List<String> j = journal();
    assertThat(j).hasSize(5);
    assertThat(j.get(0)).matches("create [0-9a-f]{12}_p-web-1");
    assertThat(j.subList(1, 5)).containsExactly("stop p-web-1", "remove p-web-1", "rename " + j.get(0).substring(7) + " p-web-1", "start p-web-1");
    assertThat(engine.containers().keySet()).containsExactly("p-cache-1", "p-db-1", "p-web-1");
    assertThat(engine.labels("p-web-1")).containsEntry("com.docker.compose.replace", oldId);
    assertThat(statuses("p-web-1")).containsSubsequence(Status.RECREATE, Status.RECREATED, Status.STARTING, Status.STARTED);
  }

  @Test
  void anInterruptedUpConvergesWhenRunAgain() {
    engine.failOn("start p-db-1");
    assertThatThrownBy(() -> up(project("p", WEB, DB, CACHE)))
        .isInstanceOf(ReconcileException.class).hasMessage("simulated failure of start p-db-1");
    assertThat(engine.containers()).doesNotContainKey("p-web-1"); // no new work after the error
    assertThat(statuses("p-db-1")).endsWith(Status.ERROR);
    engine.clearFailures();
    up(project("p", WEB, DB, CACHE));
    assertThat(engine.containers().keySet()).containsExactly("p-cache-1", "p-db-1", "p-web-1");
    assertThat(journal()).containsSubsequence("start p-db-1", "create p-web-1");
    assertThat(journal()).filteredOn(s -> s.equals("create p-db-1")).hasSize(1);
  }

  @Test
  void unhealthyDependencyFailsNamingTheContainer() {
    engine.behave("db", new Behaviour.Health(2, false));
    assertThatThrownBy(() -> up(project("p", WEB, DB, CACHE)))
        .isInstanceOf(ReconcileException.class).hasMessage("dependency failed to start: container p-db-1 is unhealthy");
    assertThat(engine.containers()).doesNotContainKey("p-web-1");
  }

  @Test
  void completedSuccessfullyWaitsForExitZeroAndFailsOnOtherCodes() {
    Service migrate = service("migrate");
    Service app = service("app", "dependsOn", dependsOn("migrate", "service_completed_successfully"));
    engine.behave("migrate", new Behaviour.Exits(2, 0));
    up(project("p", migrate, app));
    assertThat(journal()).containsSubsequence("start p-migrate-1", "create p-app-1");
    assertThat(statuses("p-migrate-1")).endsWith(Status.WAITING, Status.EXITED);

    FakeEngine other = new FakeEngine().behave("migrate", new Behaviour.Exits(1, 3));
    Reconciler r = new Reconciler(other, ProgressListener.NONE, options);
    Project p = project("q", migrate, app);
    assertThatThrownBy(() -> r.up(Planner.up(p, ObservedState.observe(other, "q"), UpOptions.defaults())))
        .hasMessage("service \"migrate\" didn't complete successfully: exit 3");
    assertThat(other.containers()).doesNotContainKey("q-app-1");
  }

  @Test
  void scaleUpAndDownKeepNumbering() {
    up(project("p", DB), UpOptions.defaults().withScale(Map.of("db", 3)));
    assertThat(engine.containers().keySet()).containsExactly("p-db-1", "p-db-2", "p-db-3");
    up(project("p", DB), UpOptions.defaults().withScale(Map.of("db", 1)));
    assertThat(engine.containers().keySet()).containsExactly("p-db-1");
    engine.clearJournal();
    up(project("p", DB), UpOptions.defaults().withScale(Map.of("db", 2)));
    assertThat(engine.containers().keySet()).containsExactly("p-db-1", "p-db-2");
    assertThat(journal()).containsExactly("create p-db-2", "start p-db-2");
  }

  @Test
  void orphansAreRemovedOnlyWhenAsked() {
    up(project("p", WEB, DB, CACHE));
    up(project("p", DB, CACHE));
    assertThat(engine.containers()).containsKey("p-web-1");
    up(project("p", DB, CACHE), UpOptions.defaults().withRemoveOrphans(true));
    assertThat(engine.containers()).doesNotContainKey("p-web-1");
    assertThat(statuses("p-web-1")).endsWith(Status.STOPPING, Status.STOPPED, Status.REMOVING, Status.REMOVED);
  }

  @Test
  void downRemovesDependentsFirstThenNetworksAndVolumesOnlyWithV() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "volume", "source", "data", "target", "/var/lib/mysql")),
        record(ServiceVolume.class, Map.of("type", "volume", "target", "/anon")));
    Service db = service("db", "volumes", vols);
    Project p = project("p", List.of(WEB, db, CACHE), List.of(),
        Map.of("data", new VolumeConfig("p_data", null, Map.of(), false, Map.of(), Map.of())));
    up(p);
    assertThat(engine.volumeNames()).contains("p_data").hasSize(2);
    engine.clearJournal();
    down(p, DownOptions.defaults());
    List<String> j = journal();
    assertThat(j).containsSubsequence("stop p-web-1", "remove p-web-1", "stop p-db-1");
    assertThat(j).containsSubsequence("remove p-web-1", "stop p-cache-1");
    assertThat(j.getLast()).isEqualTo("remove network p_default");
    assertThat(engine.containers()).isEmpty();
    assertThat(engine.networkNames()).isEmpty();
    assertThat(engine.volumeNames()).as("named and anonymous volumes are kept without -v").contains("p_data").hasSize(2);
  }

  @Test
  void downWithVolumesRemovesNamedAndAnonymousVolumes() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "volume", "source", "data", "target", "/d")),
        record(ServiceVolume.class, Map.of("type", "volume", "target", "/anon")));
    Project p = project("p", List.of(service("db", "volumes", vols)), List.of(),
        Map.of("data", new VolumeConfig("p_data", null, Map.of(), false, Map.of(), Map.of())));
    up(p);
    down(p, new DownOptions(true, false, 1));
    assertThat(engine.volumeNames()).isEmpty();
  }

  @Test
  void extraLabelsMarkEveryContainerNetworkAndVolumeButNeverReplaceComposeLabels() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "volume", "source", "data", "target", "/d")));
    Project p = project("p", List.of(service("db", "volumes", vols), CACHE), List.of(),
        Map.of("data", new VolumeConfig("p_data", null, Map.of(), false, Map.of(), Map.of())));
    up(p, UpOptions.defaults().withExtraLabels(Map.of("io.jcompose.session", "s1", "com.docker.compose.project", "other")));
    for (String c : List.of("p-db-1", "p-cache-1")) {
      assertThat(engine.labels(c)).containsEntry("io.jcompose.session", "s1").containsEntry("com.docker.compose.project", "p");
    }
    assertThat(engine.inspectNetwork("p_default").labels()).containsEntry("io.jcompose.session", "s1")
        .containsEntry("com.docker.compose.project", "p");
    assertThat(engine.inspectVolume("p_data").labels()).containsEntry("io.jcompose.session", "s1")
        .containsEntry("com.docker.compose.project", "p");
    // a plain up of the same project keeps them: extra labels are not part of the config hash
    engine.clearJournal();
    up(p);
    assertThat(journal()).isEmpty();
  }

  @Test
  void networkStillInUseIsSkippedWithAWarning() {
    up(project("p", DB, CACHE));
    up(project("p", DB)); // cache is now an orphan, still attached to p_default
    down(project("p", DB), DownOptions.defaults());
    assertThat(engine.networkNames()).containsExactly("p_default");
    assertThat(events).contains(new ProgressEvent(Kind.NETWORK, "p_default", Status.WARNING, "Resource is still in use"));
  }

  @Test
  void anonymousVolumesAreCarriedOverOnRecreateUnlessRenewed() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "volume", "target", "/anon")));
    up(project("p", service("db", "volumes", vols)));
    var before = engine.inspectContainer("p-db-1").mounts().getFirst().name();
    up(project("p", service("db", "volumes", vols, "environment", Map.of("A", "1"))));
    assertThat(engine.inspectContainer("p-db-1").mounts().getFirst().name()).isEqualTo(before);
    var renew = new UpOptions(List.of(), false, null, null, true, false, Map.of(), false);
    up(project("p", service("db", "volumes", vols, "environment", Map.of("A", "2"))), renew);
    assertThat(engine.inspectContainer("p-db-1").mounts().getFirst().name()).isNotEqualTo(before);
  }

  @Test
  void waitReportsHealthyOrFailsClearly() {
    engine.behave("db", new Behaviour.Health(2, true));
    options = options.withWait(Duration.ofSeconds(5));
    up(project("p", DB, CACHE));
    assertThat(statuses("p-db-1")).endsWith(Status.WAITING, Status.HEALTHY);
    assertThat(statuses("p-cache-1")).endsWith(Status.WAITING, Status.RUNNING);

    FakeEngine sick = new FakeEngine().behave("db", new Behaviour.Health(1, false));
    Reconciler r = new Reconciler(sick, ProgressListener.NONE, options);
    assertThatThrownBy(() -> r.up(Planner.up(project("q", DB), ObservedState.empty("q"), UpOptions.defaults())))
        .hasMessage("container q-db-1 is unhealthy");

    FakeEngine slow = new FakeEngine().behave("db", new Behaviour.Health(1_000_000, true));
    Reconciler r2 = new Reconciler(slow, ProgressListener.NONE, ReconcileOptions.defaults().withPollInterval(Duration.ofMillis(5))
        .withWait(Duration.ofMillis(50)));
    assertThatThrownBy(() -> r2.up(Planner.up(project("q", DB), ObservedState.empty("q"), UpOptions.defaults())))
        .hasMessage("application not healthy after 0s");
  }

  @Test
  void externalResourcesMustExist() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "volume", "source", "shared", "target", "/s")));
    Project p = project("p", List.of(service("db", "volumes", vols)), List.of(),
        Map.of("shared", new VolumeConfig("shared", null, Map.of(), true, Map.of(), Map.of())));
    assertThatThrownBy(() -> up(p)).hasMessage("external volume \"shared\" not found: create it first");
    assertThat(engine.containers()).isEmpty();
  }

  @Test
  void imagesArePulledByPolicy() {
    engine.withImage("mariadb:11");
    up(project("p", DB, CACHE));
    assertThat(engine.journal()).contains("pull redis:7").doesNotContain("pull mariadb:11");
    FakeEngine never = new FakeEngine();
    Reconciler r = new Reconciler(never, ProgressListener.NONE, new ReconcileOptions("never", null, false, null, Duration.ofMillis(1)));
    assertThatThrownBy(() -> r.up(Planner.up(project("q", CACHE), ObservedState.empty("q"), UpOptions.defaults())))
        .hasMessage("No such image: redis:7 (pull policy is never): pull it first");
    FakeEngine always = new FakeEngine().withImage("redis:7");
    Service alwaysCache = service("cache", "image", "redis:7", "pullPolicy", "always");
    new Reconciler(always, ProgressListener.NONE, options).up(Planner.up(project("q", alwaysCache), ObservedState.empty("q"), UpOptions.defaults()));
    assertThat(always.journal()).contains("pull redis:7");
    Service built = service("api", "image", null, "build", record(io.jcompose.model.BuildConfig.class, Map.of("context", "/srv/q")));
    FakeEngine notBuilt = new FakeEngine();
    Reconciler r2 = new Reconciler(notBuilt, ProgressListener.NONE, options);
    assertThatThrownBy(() -> r2.up(Planner.up(project("q", built), ObservedState.empty("q"), UpOptions.defaults())))
        .hasMessage("image q-api of service \"api\" is not built: run `jcompose build` first");
  }

  @Test
  void optionalDependencyFailureIsAWarning() {
    engine.behave("db", new Behaviour.Health(1, false));
    Service web = service("web", "dependsOn", Map.of("db", new io.jcompose.model.DependsOn("service_healthy", false, Map.of(), false)));
    up(project("p", web, DB));
    assertThat(engine.containers()).containsKey("p-web-1");
    assertThat(events).contains(new ProgressEvent(Kind.CONTAINER, "p-db-1", Status.WARNING,
        "optional dependency \"db\" failed to start: container p-db-1 is unhealthy"));
  }

  @Test
  void restartTrueDependentsAreStoppedBeforeTheRecreateAndStartedAfter() {
    Service watcher = service("watcher", "dependsOn", Map.of("cache", new io.jcompose.model.DependsOn("service_started", true, Map.of(), true)));
    up(project("p", CACHE, watcher));
    engine.clearJournal();
    up(project("p", service("cache", "image", "redis:7.2"), watcher));
    List<String> j = journal();
    assertThat(j.getFirst()).isEqualTo("stop p-watcher-1");
    assertThat(j).containsSubsequence("stop p-watcher-1", "stop p-cache-1", "remove p-cache-1", "start p-cache-1", "stop p-watcher-1",
        "start p-watcher-1");
    assertThat(engine.containers().get("p-watcher-1").name()).isEqualTo("p-watcher-1");
  }

  @Test
  void noDepsStillResolvesServiceReferencesToExistingContainers() {
    Service vpn = service("vpn");
    Service app = service("app", "networkMode", "service:vpn");
    up(project("p", vpn, app));
    up(project("p", vpn, service("app", "networkMode", "service:vpn", "environment", Map.of("A", "1"))),
        new UpOptions(List.of("app"), true, null, null, false, false, Map.of(), false));
    assertThat(engine.containers().get("p-app-1").request().hostConfig().networkMode()).isEqualTo("container:p-vpn-1");
  }

  @Test
  void stopStopsDependentsFirstAndRemovesNothing() {
    Project p = project("p", WEB, DB, CACHE);
    up(p);
    engine.clearJournal();
    new Reconciler(engine, events::add, options).stop(Planner.stop(p, ObservedState.observe(engine, "p"), List.of(), 2));
    assertThat(journal()).containsSubsequence("stop p-web-1", "stop p-db-1").containsSubsequence("stop p-web-1", "stop p-cache-1")
        .hasSize(3);
    assertThat(engine.containers()).hasSize(3);
    engine.clearJournal();
    up(p);
    engine.clearJournal();
    new Reconciler(engine, events::add, options).stop(Planner.stop(p, ObservedState.observe(engine, "p"), List.of("db"), null));
    assertThat(journal()).containsExactly("stop p-db-1");
    assertThatThrownBy(() -> Planner.stop(p, ObservedState.observe(engine, "p"), List.of("nope"), null)).hasMessage("no such service: nope");
  }

  @Test
  void cancelStopsWaitingAndSchedulesNothingMore() throws Exception {
    engine.behave("db", new Behaviour.Health(Integer.MAX_VALUE, true)); // never becomes healthy
    Reconciler r = new Reconciler(engine, events::add, options);
    Project p = project("p", WEB, DB, CACHE);
    var plan = Planner.up(p, ObservedState.observe(engine, "p"), UpOptions.defaults());
    var result = new java.util.concurrent.CompletableFuture<Throwable>();
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        r.up(plan);
        result.complete(null);
      } catch (Throwable e) {
        result.complete(e);
      }
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> statuses("p-db-1").contains(Status.WAITING));
    r.cancel("canceled");
    assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(ReconcileException.class).hasMessage("canceled");
    t.join();
    assertThat(engine.containers()).doesNotContainKey("p-web-1");
  }

  @Test
  void dryRunShowsTheWorkAndChangesNothing() {
    up(project("p", DB));
    engine.clearJournal();
    events.clear();
    engine.behave("db", new Behaviour.Health(Integer.MAX_VALUE, true)); // the dry run must not wait on the real one
    Project p = project("p", WEB, service("db", "image", "mariadb:11.4"), CACHE);
    var dry = new io.jcompose.planner.engine.DryRunEngine(engine);
    new Reconciler(dry, events::add, options).up(Planner.up(p, ObservedState.observe(dry, "p"), UpOptions.defaults()));
    assertThat(engine.journal()).isEmpty();
    assertThat(engine.containers().keySet()).containsExactly("p-db-1");
    assertThat(statuses("p-db-1")).contains(Status.RECREATE, Status.RECREATED, Status.STARTED, Status.HEALTHY);
    assertThat(statuses("p-web-1")).containsExactly(Status.CREATING, Status.CREATED, Status.STARTING, Status.STARTED);
    assertThat(events).filteredOn(e -> e.kind() == Kind.IMAGE && e.status() == Status.PULLED).extracting(ProgressEvent::name)
        .containsExactlyInAnyOrder("mariadb:11.4", "python:3.11-slim", "redis:7");
  }
}
