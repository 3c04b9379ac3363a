package io.jcompose.planner.plan;

import static io.jcompose.planner.testing.Fixtures.dependsOn;
import static io.jcompose.planner.testing.Fixtures.project;
import static io.jcompose.planner.testing.Fixtures.record;
import static io.jcompose.planner.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.Deploy;
import io.jcompose.model.DependsOn;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.VolumeConfig;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.ContainerSummary;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.engine.VolumeInfo;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.observe.ObservedState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Service WEB = service("web", "dependsOn", dependsOn("db", "service_healthy"));
  private static final Service DB = service("db", "image", "mariadb:11");

  private static ObservedContainer container(String project, Service s, int n, String hash, String state) {
    return container(project + "-" + s.name() + "-" + n, s.name(), n, hash, state, false);
  }

  private static ObservedContainer container(String name, String service, int n, String hash, String state, boolean oneOff) {
    Map<String, String> l = new HashMap<>();
    l.put(ComposeLabels.PROJECT, "p");
    l.put(ComposeLabels.SERVICE, service);
    if (n > 0) {
      l.put(ComposeLabels.CONTAINER_NUMBER, Integer.toString(n));
    }
    l.put(ComposeLabels.ONEOFF, oneOff ? "True" : "False");
    l.put(ComposeLabels.CONFIG_HASH, hash);
    return ObservedContainer.of(new ContainerSummary(String.format("%064x", name.hashCode() & 0xffffffffL), name, "img", state, state, l, 1));
  }

  private static ObservedState observed(ObservedContainer... cs) {
    return new ObservedState("p", List.of(cs),
        List.of(new NetworkInfo("n1", "p_default", "bridge", Map.of(ComposeLabels.PROJECT, "p", ComposeLabels.NETWORK, "default"), null)),
        List.of());
  }

  private static List<String> describe(ServicePlan sp) {
    List<String> out = new ArrayList<>();
    for (ContainerStep s : sp.steps()) {
      out.add(switch (s) {
        case ContainerStep.Create c -> "create " + c.name();
        case ContainerStep.Recreate r -> "recreate " + r.name() + " (" + r.reason() + ")";
        case ContainerStep.Start st -> "start " + st.container().name();
        case ContainerStep.Restart r -> "restart " + r.container().name();
        case ContainerStep.Keep k -> "keep " + k.container().name();
        case ContainerStep.Remove r -> "remove " + r.container().name();
      });
    }
    return out;
  }

  @Test
  void freshProjectCreatesEverythingInDependencyOrder() {
    Plan plan = Planner.up(project("p", WEB, DB), ObservedState.empty("p"), UpOptions.defaults());
    assertThat(plan.services().keySet()).containsExactly("db", "web");
    assertThat(describe(plan.services().get("db"))).containsExactly("create p-db-1");
    assertThat(describe(plan.services().get("web"))).containsExactly("create p-web-1");
    assertThat(plan.networks()).singleElement().isInstanceOfSatisfying(ResourceStep.CreateNetwork.class, n -> {
      assertThat(n.name()).isEqualTo("p_default");
      assertThat(n.request().labels()).containsEntry(ComposeLabels.PROJECT, "p").containsEntry(ComposeLabels.NETWORK, "default");
    });
    assertThat(plan.isNoop()).isFalse();
  }

  @Test
  void runConvergesOnlyTheDependenciesAndNoDepsOnlyTheNetworks() {
    Plan withDeps = Planner.run(project("p", WEB, DB), ObservedState.empty("p"), "web", false, false);
    assertThat(withDeps.services().keySet()).containsExactly("db");
    assertThat(describe(withDeps.services().get("db"))).containsExactly("create p-db-1");
    assertThat(withDeps.networks()).singleElement().isInstanceOf(ResourceStep.CreateNetwork.class);

    Plan noDeps = Planner.run(project("p", WEB, DB), ObservedState.empty("p"), "web", true, false);
    assertThat(noDeps.services()).isEmpty();
    assertThat(noDeps.graph().startOrder()).isEmpty();
    assertThat(noDeps.networks()).singleElement().isInstanceOf(ResourceStep.CreateNetwork.class);

    Plan leaf = Planner.run(project("p", WEB, DB), ObservedState.empty("p"), "db", false, false);
    assertThat(leaf.services()).isEmpty();
    assertThatThrownBy(() -> Planner.run(project("p", WEB, DB), ObservedState.empty("p"), "nope", false, false))
        .hasMessage("no such service: nope");

    ObservedState withOrphan = observed(container("p-old-1", "old", 1, "h", "running", false));
    assertThat(Planner.run(project("p", WEB, DB), withOrphan, "db", false, false).warnings()).singleElement()
        .asString().startsWith("Found orphan containers ([p-old-1])");
    Plan removing = Planner.run(project("p", WEB, DB), withOrphan, "db", false, true);
    assertThat(removing.warnings()).isEmpty();
    assertThat(removing.orphans()).extracting(ObservedContainer::name).containsExactly("p-old-1");
    assertThat(removing.options().removeOrphans()).isTrue();
  }

  @Test
  void oneOffRequestRefersToTheLowestNumberedContainerOfOtherServices() {
    Service web = service("web", "networkMode", "service:db");
    ObservedState st = observed(container("p", DB, 2, "h", "running"), container("p", DB, 1, "h", "running"),
        container("p-db-run-0123456789ab", "db", 0, "h", "running", true));
    String slug = "0123456789abcdef".repeat(4);
    var run = new io.jcompose.planner.engine.OneOff(slug, List.of("true"), null, Map.of(), null, null, false, List.of(), false, true, false,
        true, Map.of("extra", "1", ComposeLabels.ONEOFF, "False"),
        List.of(record(ServiceVolume.class, Map.of("type", "bind", "source", "/host", "target", "/in"))), List.of("NET_ADMIN"), List.of("MKNOD"));
    var r = Planner.oneOff(project("p", web, DB), st, "web", run, "p-web-run-0123456789ab", "sha256:img");
    assertThat(r.hostConfig().networkMode()).isEqualTo("container:p-db-1");
    assertThat(r.config().labels()).containsEntry("extra", "1").containsEntry(ComposeLabels.ONEOFF, "True")
        .containsEntry(ComposeLabels.SLUG, slug).containsEntry(ComposeLabels.CONFIG_HASH, ConfigHash.of(web))
        .containsEntry(ComposeLabels.IMAGE, "sha256:img");
    assertThat(r.hostConfig().binds()).containsExactly("/host:/in");
    assertThat(r.hostConfig().capAdd()).containsExactly("NET_ADMIN");
    assertThat(r.hostConfig().capDrop()).containsExactly("MKNOD");
    assertThat(r.hostConfig().autoRemove()).isTrue();
    assertThat(r.config().openStdin()).isTrue();
    assertThat(r.config().attachStdin()).isTrue();
  }

  @Test
  void onlyTheServiceWhoseConfigChangedIsRecreated() {
    Service web2 = service("web", "dependsOn", dependsOn("db", "service_healthy"), "environment", Map.of("MODE", "new"));
    ObservedState st = observed(container("p", WEB, 1, ConfigHash.of(WEB), "running"), container("p", DB, 1, ConfigHash.of(DB), "running"));
    Plan same = Planner.up(project("p", WEB, DB), st, UpOptions.defaults());
    assertThat(same.isNoop()).isTrue();
    Plan changed = Planner.up(project("p", web2, DB), st, UpOptions.defaults());
    assertThat(describe(changed.services().get("db"))).containsExactly("keep p-db-1");
    assertThat(describe(changed.services().get("web"))).containsExactly("recreate p-web-1 (config changed)");
    assertThat(changed.networks()).singleElement().isInstanceOf(ResourceStep.Exists.class);
  }

  @Test
  void configHashIgnoresWhatDoesNotChangeTheContainer() {
    Service a = service("a", "image", "nginx", "environment", Map.of("A", "1"));
    Service b = service("a", "image", "nginx", "environment", Map.of("A", "1"), "scale", 3, "pullPolicy", "always",
        "dependsOn", dependsOn("x", "service_started"), "profiles", List.of("dev"),
        "deploy", record(Deploy.class, Map.of("replicas", 3)));
    assertThat(ConfigHash.of(b)).isEqualTo(ConfigHash.of(a)).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(ConfigHash.of(service("a", "image", "nginx", "environment", Map.of("A", "2")))).isNotEqualTo(ConfigHash.of(a));
    assertThat(ConfigHash.of(service("a", "image", "nginx:2", "environment", Map.of("A", "1")))).isNotEqualTo(ConfigHash.of(a));
    // the service's name is not part of its configuration
    assertThat(ConfigHash.of(service("b", "image", "nginx", "environment", Map.of("A", "1")))).isEqualTo(ConfigHash.of(a));
    // environment B="" differs from B unset
    Map<String, String> withEmpty = new HashMap<>(Map.of("A", "1"));
    withEmpty.put("B", "");
    assertThat(ConfigHash.of(service("a", "image", "nginx", "environment", withEmpty))).isNotEqualTo(ConfigHash.of(a));
  }

  @Test
  void forceNoRecreateAndAlwaysRecreateDeps() {
    ObservedState st = observed(container("p", WEB, 1, ConfigHash.of(WEB), "running"), container("p", DB, 1, "stale", "running"));
    Project p = project("p", WEB, DB);
    Plan forced = Planner.up(p, st, UpOptions.defaults().withRecreate(Recreate.FORCE).withServices(List.of("web")));
    assertThat(describe(forced.services().get("web"))).containsExactly("recreate p-web-1 (forced)");
    assertThat(describe(forced.services().get("db"))).containsExactly("recreate p-db-1 (config changed)");
    Plan never = Planner.up(p, st, UpOptions.defaults().withRecreate(Recreate.NEVER).withServices(List.of("db")));
    assertThat(describe(never.services().get("db"))).containsExactly("keep p-db-1");
    assertThat(never.services()).doesNotContainKey("web");
    var deps = new UpOptions(List.of("web"), false, Recreate.DIVERGED, Recreate.FORCE, false, false, Map.of(), false);
    Plan alwaysDeps = Planner.up(p, observed(container("p", WEB, 1, ConfigHash.of(WEB), "running"),
        container("p", DB, 1, ConfigHash.of(DB), "running")), deps);
    assertThat(describe(alwaysDeps.services().get("db"))).containsExactly("recreate p-db-1 (forced)");
    assertThat(describe(alwaysDeps.services().get("web"))).containsExactly("keep p-web-1");
  }

  @Test
  void noDepsLeavesDependenciesOut() {
    Plan plan = Planner.up(project("p", WEB, DB), ObservedState.empty("p"), UpOptions.defaults().withServices(List.of("web"))
        .withRecreate(Recreate.DIVERGED));
    assertThat(plan.services().keySet()).containsExactly("db", "web");
    Plan noDeps = Planner.up(project("p", WEB, DB), ObservedState.empty("p"),
        new UpOptions(List.of("web"), true, null, null, false, false, Map.of(), false));
    assertThat(noDeps.services().keySet()).containsExactly("web");
  }

  @Test
  void stoppedUpToDateContainersAreStartedAndNoStartCreatesOnly() {
    ObservedState st = observed(container("p", DB, 1, ConfigHash.of(DB), "exited"));
    assertThat(describe(Planner.up(project("p", DB), st, UpOptions.defaults()).services().get("db"))).containsExactly("start p-db-1");
    var noStart = new UpOptions(List.of(), false, null, null, false, false, Map.of(), true);
    Plan plan = Planner.up(project("p", WEB, DB), st, noStart);
    assertThat(describe(plan.services().get("db"))).containsExactly("keep p-db-1");
    assertThat(describe(plan.services().get("web"))).containsExactly("create p-web-1");
    assertThat(plan.services().get("web").start()).isFalse();
  }

  @Test
  void scaleUpAndDownKeepsNumbering() {
    String h = ConfigHash.of(DB);
    ObservedState three = observed(container("p", DB, 1, h, "running"), container("p", DB, 2, h, "running"), container("p", DB, 3, h, "running"));
    Plan down = Planner.up(project("p", DB), three, UpOptions.defaults().withScale(Map.of("db", 1)));
    assertThat(describe(down.services().get("db"))).containsExactly("remove p-db-3", "remove p-db-2", "keep p-db-1");
    ObservedState holes = observed(container("p", DB, 1, h, "running"), container("p", DB, 3, h, "running"));
    Plan up = Planner.up(project("p", DB), holes, UpOptions.defaults().withScale(Map.of("db", 4)));
    assertThat(describe(up.services().get("db"))).as("numbers continue after the highest, as Compose")
        .containsExactly("keep p-db-1", "keep p-db-3", "create p-db-4", "create p-db-5");
    ObservedState oneStale = observed(container("p", DB, 1, "stale", "running"), container("p", DB, 2, h, "running"),
        container("p", DB, 3, h, "running"));
    assertThat(describe(Planner.up(project("p", DB), oneStale, UpOptions.defaults().withScale(Map.of("db", 2))).services().get("db")))
        .as("a container that would be recreated goes first on scale down")
        .containsExactly("remove p-db-1", "keep p-db-2", "keep p-db-3");
    Service replicated = service("db", "image", "mariadb:11", "deploy", record(Deploy.class, Map.of("replicas", 2)));
    assertThat(describe(Planner.up(project("p", replicated), ObservedState.empty("p"), UpOptions.defaults()).services().get("db")))
        .containsExactly("create p-db-1", "create p-db-2");
    assertThatThrownBy(() -> Planner.up(project("p", DB), three, UpOptions.defaults().withScale(Map.of("nope", 1))))
        .hasMessage("no such service: nope");
    Service named = service("db", "containerName", "the-db");
    assertThatThrownBy(() -> Planner.up(project("p", named), ObservedState.empty("p"), UpOptions.defaults().withScale(Map.of("db", 2))))
        .hasMessageContaining("can't scale to 2 containers with container_name \"the-db\"");
    assertThat(describe(Planner.up(project("p", named), ObservedState.empty("p"), UpOptions.defaults()).services().get("db")))
        .containsExactly("create the-db");
  }

  @Test
  void orphansAreWarnedOrRemoved() {
    ObservedState st = observed(container("p", DB, 1, ConfigHash.of(DB), "running"),
        container("p-old-1", "old", 1, "x", "running", false), container("p-db-run-abc", "db", 0, "x", "exited", true));
    Plan warned = Planner.up(project("p", DB), st, UpOptions.defaults());
    assertThat(warned.orphans()).extracting(ObservedContainer::name).containsExactly("p-old-1");
    assertThat(warned.warnings()).containsExactly("Found orphan containers ([p-old-1]) for this project. If you removed or renamed this"
        + " service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
    Plan removed = Planner.up(project("p", DB), st, UpOptions.defaults().withRemoveOrphans(true));
    assertThat(removed.warnings()).isEmpty();
    assertThat(removed.isNoop()).isFalse();
    // a disabled service (profiles) is not an orphan
    Project withDisabled = project("p", List.of(DB), List.of(service("old")), Map.of());
    assertThat(Planner.up(withDisabled, st, UpOptions.defaults()).orphans()).isEmpty();
  }

  @Test
  void interruptedRecreateIsFinishedOnTheNextRun() {
    String h = ConfigHash.of(DB);
    // the replacement exists under its temporary name, the old one is still there too
    ObservedState both = observed(container("p", DB, 1, "old", "exited"), container("0123456789ab_p-db-1", "db", 1, h, "created", false));
    assertThat(describe(Planner.up(project("p", DB), both, UpOptions.defaults()).services().get("db")))
        .containsExactly("remove 0123456789ab_p-db-1", "recreate p-db-1 (config changed)");
    // the old one was already removed: the replacement gets its proper name
    ObservedState onlyTemp = observed(container("0123456789ab_p-db-1", "db", 1, h, "created", false));
    assertThat(describe(Planner.up(project("p", DB), onlyTemp, UpOptions.defaults()).services().get("db")))
        .containsExactly("recreate p-db-1 (name)");
  }

  @Test
  void sharedNamespacesAndRestartTrueFollowARecreatedDependency() {
    Service vpn = service("vpn");
    Service app = service("app", "networkMode", "service:vpn");
    Service watcher = service("watcher", "dependsOn", Map.of("vpn", new DependsOn("service_started", true, Map.of(), true)));
    Service vpn2 = service("vpn", "environment", Map.of("X", "1"));
    ObservedState st = observed(container("p", vpn, 1, ConfigHash.of(vpn), "running"), container("p", app, 1, ConfigHash.of(app), "running"),
        container("p", watcher, 1, ConfigHash.of(watcher), "running"));
    Plan plan = Planner.up(project("p", vpn2, app, watcher), st, UpOptions.defaults());
    assertThat(describe(plan.services().get("vpn"))).containsExactly("recreate p-vpn-1 (config changed)");
    assertThat(describe(plan.services().get("app"))).containsExactly("recreate p-app-1 (dependency recreated)");
    assertThat(describe(plan.services().get("watcher"))).containsExactly("restart p-watcher-1");
  }

  @Test
  void volumesAreCreatedOnlyWhenMissingAndExternalOnesNever() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "volume", "source", "data", "target", "/data")),
        record(ServiceVolume.class, Map.of("type", "volume", "source", "shared", "target", "/shared")));
    Project p = project("p", List.of(service("db", "volumes", vols)), List.of(), Map.of(
        "data", new VolumeConfig("p_data", null, Map.of(), false, Map.of(), Map.of()),
        "shared", new VolumeConfig("shared", null, Map.of(), true, Map.of(), Map.of()),
        "unused", new VolumeConfig("p_unused", null, Map.of(), false, Map.of(), Map.of())));
    Plan plan = Planner.up(p, ObservedState.empty("p"), UpOptions.defaults());
    assertThat(plan.volumes()).hasSize(2);
    assertThat(plan.volumes().get(0)).isInstanceOfSatisfying(ResourceStep.CreateVolume.class, v -> {
      assertThat(v.name()).isEqualTo("p_data");
      assertThat(v.request().driver()).isEqualTo("local");
      assertThat(v.request().labels()).containsEntry(ComposeLabels.VOLUME, "data").containsEntry(ComposeLabels.PROJECT, "p")
          .containsKey(ComposeLabels.CONFIG_HASH);
    });
    assertThat(plan.volumes().get(1)).isEqualTo(new ResourceStep.External("shared", "shared", "volume"));
    ObservedState st = new ObservedState("p", List.of(), List.of(), List.of(new VolumeInfo("p_data", "local", Map.of(ComposeLabels.PROJECT, "p"))));
    assertThat(Planner.up(p, st, UpOptions.defaults()).volumes().get(0)).isEqualTo(new ResourceStep.Exists("data", "p_data", "volume"));
  }

  @Test
  void downStopsDependentsFirstAndKeepsVolumesUnlessAsked() {
    ObservedState st = new ObservedState("p",
        List.of(container("p", WEB, 1, "h", "running"), container("p", DB, 1, "h", "running"),
            container("p-old-1", "old", 1, "x", "running", false)),
        List.of(new NetworkInfo("n1", "p_default", "bridge", Map.of(ComposeLabels.PROJECT, "p", ComposeLabels.NETWORK, "default"), null)),
        List.of());
    DownPlan plan = Planner.down(project("p", WEB, DB), st, DownOptions.defaults());
    assertThat(plan.stopOrder()).containsExactly("web", "db");
    assertThat(plan.containers()).doesNotContainKey("old");
    assertThat(plan.warnings()).singleElement().asString().startsWith("Found orphan containers ([p-old-1])");
    assertThat(plan.networks()).containsExactly("p_default");
    assertThat(plan.volumes()).isEmpty();
    DownPlan all = Planner.down(project("p", WEB, DB), st, new DownOptions(true, true, 3));
    assertThat(all.containers()).containsKeys("web", "db", "old");
    assertThat(all.warnings()).isEmpty();
  }

  @Test
  void downWithoutAFileOrdersByTheDependsOnLabel() {
    Map<String, String> l = new HashMap<>();
    l.put(ComposeLabels.PROJECT, "p");
    l.put(ComposeLabels.SERVICE, "web");
    l.put(ComposeLabels.CONTAINER_NUMBER, "1");
    l.put(ComposeLabels.DEPENDS_ON, "db:service_healthy:false");
    var web = ObservedContainer.of(new ContainerSummary("w".repeat(64), "p-web-1", "i", "running", "", l, 1));
    ObservedState st = new ObservedState("p", List.of(web, container("p", DB, 1, "h", "running")), List.of(), List.of());
    DownPlan plan = Planner.down(null, st, DownOptions.defaults());
    assertThat(plan.stopOrder()).containsExactly("web", "db");
    assertThat(plan.dependencies().get("web")).containsExactly("db");
  }
}
