package io.jcompose.planner.engine;

import static io.jcompose.planner.testing.Fixtures.dependsOn;
import static io.jcompose.planner.testing.Fixtures.project;
import static io.jcompose.planner.testing.Fixtures.record;
import static io.jcompose.planner.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.Deploy;
import io.jcompose.model.Healthcheck;
import io.jcompose.model.Logging;
import io.jcompose.model.PortConfig;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.ServiceNetwork;
import io.jcompose.model.ServiceVolume;
import io.jcompose.model.Ulimit;
import io.jcompose.model.VolumeConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRequestsTest {

  private static ContainerCreateRequest request(Service s, Map<String, String> refs, Map<String, String> inherited) {
    Project p = project("shop", List.of(s), List.of(), Map.of("data", new VolumeConfig("shop_data", null, Map.of(), false, Map.of(), Map.of())));
    return ContainerRequests.forService(new ContainerContext(p, s, 2, "shop-" + s.name() + "-2", "abc123", "sha256:img", refs, inherited));
  }

  private static ContainerCreateRequest request(Service s) {
    return request(s, Map.of(), Map.of());
  }

  @Test
  void composeLabelsAreAllThereWithTheServiceLabels() {
    var r = request(service("web", "labels", Map.of("team", "a"),
        "dependsOn", dependsOn("db", "service_healthy", "cache", "service_started")));
    assertThat(r.name()).isEqualTo("shop-web-2");
    assertThat(r.config().labels()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("team", "a"),
        Map.entry("com.docker.compose.project", "shop"),
        Map.entry("com.docker.compose.service", "web"),
        Map.entry("com.docker.compose.container-number", "2"),
        Map.entry("com.docker.compose.oneoff", "False"),
        Map.entry("com.docker.compose.config-hash", "abc123"),
        Map.entry("com.docker.compose.project.working_dir", "/srv/shop"),
        Map.entry("com.docker.compose.project.config_files", "/srv/shop/compose.yaml"),
        Map.entry("com.docker.compose.depends_on", "db:service_healthy:false,cache:service_started:false"),
        Map.entry("com.docker.compose.image", "sha256:img"),
        Map.entry("com.docker.compose.version", ComposeLabels.COMPOSE_VERSION)));
  }

  @Test
  void imageCommandEntrypointEnvironmentAndProcessSettings() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "1");
    env.put("UNSET", null);
    env.put("B", "");
    var r = request(service("web", "image", "nginx:1.27", "command", List.of("nginx", "-g", "daemon off;"), "entrypoint", List.of(),
        "environment", env, "user", "101:101", "workingDir", "/app", "hostname", "h", "domainname", "example.org",
        "tty", true, "stdinOpen", true, "stopSignal", "SIGQUIT", "stopGracePeriod", Duration.ofSeconds(30), "platform", "linux/amd64"));
    ContainerConfig c = r.config();
    assertThat(c.image()).isEqualTo("nginx:1.27");
    assertThat(c.cmd()).containsExactly("nginx", "-g", "daemon off;");
    assertThat(c.entrypoint()).isEmpty();
    assertThat(c.env()).containsExactly("A=1", "B=");
    assertThat(c.user()).isEqualTo("101:101");
    assertThat(c.workingDir()).isEqualTo("/app");
    assertThat(c.hostname()).isEqualTo("h");
    assertThat(c.domainname()).isEqualTo("example.org");
    assertThat(c.tty()).isTrue();
    assertThat(c.openStdin()).isTrue();
    assertThat(c.stopSignal()).isEqualTo("SIGQUIT");
    assertThat(c.stopTimeout()).isEqualTo(30);
    assertThat(r.platform()).isEqualTo("linux/amd64");
    assertThat(request(service("x")).config().cmd()).isNull();
    assertThat(request(service("x")).config().entrypoint()).isNull();
    assertThat(request(service("x")).config().stopTimeout()).isNull();
  }

  @Test
  void builtImageIsNamedAfterProjectAndService() {
    var r = request(service("api", "image", null));
    assertThat(r.config().image()).isEqualTo("shop-api");
  }

  @Test
  void portsBecomeExposedPortsAndPortBindings() {
    var ports = List.of(
        record(PortConfig.class, Map.of("target", 80, "published", "8080", "protocol", "tcp", "mode", "ingress")),
        record(PortConfig.class, Map.of("target", 80, "published", "8443", "hostIp", "127.0.0.1")),
        record(PortConfig.class, Map.of("target", 53, "protocol", "udp")));
    var r = request(service("web", "ports", ports, "expose", List.of("9000", "7000-7001/udp")));
    assertThat(r.config().exposedPorts()).containsExactlyInAnyOrder("80/tcp", "53/udp", "9000/tcp", "7000/udp", "7001/udp");
    assertThat(r.hostConfig().portBindings()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "80/tcp", List.of(new HostConfig.PortBinding("", "8080"), new HostConfig.PortBinding("127.0.0.1", "8443")),
        "53/udp", List.of(new HostConfig.PortBinding("", ""))));
  }

  @Test
  void volumesBecomeBindsOrMountsWithProjectVolumeNames() {
    var vols = List.of(
        record(ServiceVolume.class, Map.of("type", "volume", "source", "data", "target", "/var/lib/db")),
        record(ServiceVolume.class, Map.of("type", "bind", "source", "/srv/shop/conf", "target", "/etc/conf", "readOnly", true,
            "bind", record(ServiceVolume.Bind.class, Map.of("selinux", "z", "createHostPath", true)))),
        record(ServiceVolume.class, Map.of("type", "bind", "source", "/srv/shop/strict", "target", "/strict",
            "bind", record(ServiceVolume.Bind.class, Map.of("propagation", "rslave")))),
        record(ServiceVolume.class, Map.of("type", "volume", "target", "/cache")),
        record(ServiceVolume.class, Map.of("type", "volume", "source", "data", "target", "/sub",
            "volume", new ServiceVolume.VolumeOptions(true, "x", Map.of()))),
        record(ServiceVolume.class, Map.of("type", "tmpfs", "target", "/tmp", "tmpfs", new ServiceVolume.Tmpfs(1024, 01777, Map.of()))));
    var r = request(service("db", "volumes", vols, "tmpfs", List.of("/run:size=64k", "/var/run")));
    assertThat(r.hostConfig().binds()).containsExactly("shop_data:/var/lib/db", "/srv/shop/conf:/etc/conf:ro,z");
    assertThat(r.hostConfig().mounts()).containsExactly(
        new HostConfig.Mount("bind", "/srv/shop/strict", "/strict", false, "rslave", false, false, null, 0, 0),
        new HostConfig.Mount("volume", "", "/cache", false, null, false, false, null, 0, 0),
        new HostConfig.Mount("volume", "shop_data", "/sub", false, null, false, true, "x", 0, 0),
        new HostConfig.Mount("tmpfs", "", "/tmp", false, null, false, false, null, 1024, 01777));
    assertThat(r.hostConfig().tmpfs()).containsExactlyInAnyOrderEntriesOf(Map.of("/run", "size=64k", "/var/run", ""));
    // an anonymous volume of the replaced container is carried over by name
    var again = request(service("db", "volumes", vols), Map.of(), Map.of("/cache", "4f2a"));
    assertThat(again.hostConfig().mounts()).contains(new HostConfig.Mount("volume", "4f2a", "/cache", false, null, false, false, null, 0, 0));
  }

  @Test
  void networksBecomeEndpointsWithAliasesAndStaticAddressesPrimaryFirst() {
    Map<String, ServiceNetwork> nets = new LinkedHashMap<>();
    nets.put("back", record(ServiceNetwork.class, Map.of("aliases", List.of("database"), "ipv4Address", "172.28.0.5")));
    nets.put("front", record(ServiceNetwork.class, Map.of("priority", 10, "ipv6Address", "fd00::5", "macAddress", "02:42:ac:11:00:02",
        "driverOpts", Map.of("com.docker.network.endpoint.ifname", "eth9"))));
    var r = request(service("db", "networks", nets));
    assertThat(r.endpoints().keySet()).containsExactly("shop_front", "shop_back");
    assertThat(r.hostConfig().networkMode()).isEqualTo("shop_front");
    assertThat(r.endpoints().get("shop_back")).isEqualTo(new EndpointConfig(List.of("shop-db-2", "db", "database"), "172.28.0.5", null, List.of(), null, List.of(), Map.of()));
    assertThat(r.endpoints().get("shop_front").ipv6Address()).isEqualTo("fd00::5");
    assertThat(r.endpoints().get("shop_front").macAddress()).isEqualTo("02:42:ac:11:00:02");
    assertThat(r.endpoints().get("shop_front").driverOpts()).containsEntry("com.docker.network.endpoint.ifname", "eth9");
  }

  @Test
  void aServiceWithoutNetworksJoinsTheDefaultNetwork() {
    var r = request(service("web"));
    assertThat(r.endpoints()).containsOnlyKeys("shop_default");
    assertThat(r.endpoints().get("shop_default").aliases()).containsExactly("shop-web-2", "web");
    assertThat(r.hostConfig().networkMode()).isEqualTo("shop_default");
  }

  @Test
  void serviceReferencesPointAtTheOtherServicesContainers() {
    var refs = Map.of("vpn", "shop-vpn-1", "shared", "shop-shared-1", "db", "shop-db-1");
    var r = request(service("app", "networkMode", "service:vpn", "ipc", "service:shared", "pid", "host",
        "volumesFrom", List.of("shared:ro", "container:other"), "links", List.of("db:database")), refs, Map.of());
    assertThat(r.hostConfig().networkMode()).isEqualTo("container:shop-vpn-1");
    assertThat(r.endpoints()).isEmpty();
    assertThat(r.hostConfig().ipcMode()).isEqualTo("container:shop-shared-1");
    assertThat(r.hostConfig().pidMode()).isEqualTo("host");
    assertThat(r.hostConfig().volumesFrom()).containsExactly("shop-shared-1:ro", "other");
    assertThat(r.hostConfig().links()).containsExactly("shop-db-1:database");
    assertThatThrownBy(() -> request(service("app", "networkMode", "service:vpn")))
        .hasMessageContaining("refers to service \"vpn\" which has no container");
  }

  @Test
  void healthcheckDurationsAreNanoseconds() {
    var h = new Healthcheck(List.of("CMD-SHELL", "pg_isready"), Duration.ofSeconds(3), Duration.ofMillis(1500), 5L,
        Duration.ofSeconds(10), Duration.ofMillis(200), false, Map.of());
    var c = request(service("db", "healthcheck", h)).config().healthcheck();
    assertThat(c).isEqualTo(new ContainerConfig.HealthConfig(List.of("CMD-SHELL", "pg_isready"), 1_500_000_000L, 3_000_000_000L,
        10_000_000_000L, 200_000_000L, 5));
    var off = new Healthcheck(List.of(), null, null, null, null, null, true, Map.of());
    assertThat(request(service("db", "healthcheck", off)).config().healthcheck().test()).containsExactly("NONE");
    assertThat(request(service("db")).config().healthcheck()).isNull();
  }

  @Test
  void restartPolicyFromRestartOrDeploy() {
    assertThat(request(service("a")).hostConfig().restartPolicy()).isEqualTo(new HostConfig.RestartPolicy("no", 0));
    assertThat(request(service("a", "restart", "unless-stopped")).hostConfig().restartPolicy().name()).isEqualTo("unless-stopped");
    assertThat(request(service("a", "restart", "on-failure:3")).hostConfig().restartPolicy()).isEqualTo(new HostConfig.RestartPolicy("on-failure", 3));
    var deploy = record(Deploy.class, Map.of("restartPolicy", new Deploy.RestartPolicy("any", null, null, null, Map.of())));
    assertThat(request(service("a", "deploy", deploy)).hostConfig().restartPolicy().name()).isEqualTo("always");
  }

  @Test
  void resourcesSecurityAndMiscHostSettings() {
    var limits = new Deploy.Resource(0.5, 256L << 20, 100, List.of(), List.of(), Map.of());
    var deploy = record(Deploy.class, Map.of("resources", new Deploy.Resources(limits, null, Map.of())));
    Map<String, Ulimit> ulimits = Map.of("nofile", new Ulimit.Range(1024, 2048), "nproc", new Ulimit.Single(64));
    var r = request(service("a", "deploy", deploy, "cpuShares", 512L, "ulimits", ulimits, "devices", List.of(new io.jcompose.model.DeviceMapping("/dev/fuse", null, null, Map.of()),
            new io.jcompose.model.DeviceMapping("/dev/sda", "/dev/xvda", "r", Map.of())),
        "capAdd", List.of("NET_ADMIN"), "capDrop", List.of("ALL"), "privileged", true, "readOnly", true,
        "securityOpt", List.of("no-new-privileges"), "groupAdd", List.of("audio"), "shmSize", 1L << 27,
        "sysctls", Map.of("net.core.somaxconn", "1024"), "init", true, "extraHosts", Map.of("gw", List.of("10.0.0.1", "fd00::1")),
        "dns", List.of("1.1.1.1"), "logging", new Logging("json-file", Map.of("max-size", "1m"), Map.of()),
        "oomScoreAdj", -500L, "uts", "host", "cgroup", "private"));
    HostConfig h = r.hostConfig();
    assertThat(h.resources().memory()).isEqualTo(256L << 20);
    assertThat(h.resources().nanoCpus()).isEqualTo(500_000_000L);
    assertThat(h.resources().pidsLimit()).isEqualTo(100L);
    assertThat(h.resources().cpuShares()).isEqualTo(512);
    assertThat(h.resources().ulimits()).containsExactly(new HostConfig.Ulimit("nofile", 1024, 2048), new HostConfig.Ulimit("nproc", 64, 64));
    assertThat(h.resources().devices()).containsExactly(new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"),
        new HostConfig.DeviceMapping("/dev/sda", "/dev/xvda", "r"));
    assertThat(h.capAdd()).containsExactly("NET_ADMIN");
    assertThat(h.capDrop()).containsExactly("ALL");
    assertThat(h.privileged()).isTrue();
    assertThat(h.readonlyRootfs()).isTrue();
    assertThat(h.securityOpt()).containsExactly("no-new-privileges");
    assertThat(h.groupAdd()).containsExactly("audio");
    assertThat(h.shmSize()).isEqualTo(1L << 27);
    assertThat(h.sysctls()).containsEntry("net.core.somaxconn", "1024");
    assertThat(h.init()).isTrue();
    assertThat(h.extraHosts()).containsExactly("gw:10.0.0.1", "gw:fd00::1");
    assertThat(h.dns()).containsExactly("1.1.1.1");
    assertThat(h.logConfig()).isEqualTo(new HostConfig.LogConfig("json-file", Map.of("max-size", "1m")));
    assertThat(h.oomScoreAdj()).isEqualTo(-500);
    assertThat(h.utsMode()).isEqualTo("host");
    assertThat(h.cgroupnsMode()).isEqualTo("private");
    // the service's own keys win over deploy.resources
    assertThat(request(service("a", "deploy", deploy, "memLimit", 1L << 30)).hostConfig().resources().memory()).isEqualTo(1L << 30);
  }

  @Test
  void unsupportedVolumeTypeIsOneClearError() {
    var vols = List.of(record(ServiceVolume.class, Map.of("type", "npipe", "source", "x", "target", "/x")));
    assertThatThrownBy(() -> request(service("a", "volumes", vols)))
        .hasMessage("service \"a\": volume type \"npipe\" at /x is not supported by jcompose: use bind, volume or tmpfs");
  }

  @Test
  void oneOffContainersAreLabelledAndStrippedAsComposeRunDoes() {
    String slug = "0123456789abcdef".repeat(4);
    var ports = List.of(record(PortConfig.class, Map.of("target", 80, "published", "8080")));
    Map<String, ServiceNetwork> nets = new LinkedHashMap<>();
    nets.put("default", record(ServiceNetwork.class, Map.of("aliases", List.of("www"))));
    Service web = service("web", "ports", ports, "restart", "always", "command", List.of("serve"), "environment", Map.of("A", "1", "B", "2"),
        "networks", nets);
    Project p = project("shop", web);
    String name = ComposeNames.oneOff("shop", "web", slug);
    assertThat(name).isEqualTo("shop-web-run-0123456789ab");
    var run = new OneOff(slug, null, List.of("/bin/sh"), Map.of("B", "3"), "nobody", "/tmp", false,
        List.of(record(PortConfig.class, Map.of("target", 9000, "published", "9000"))), false, true, true, true);
    var r = ContainerRequests.forOneOff(new ContainerContext(p, web, 0, name, "h", null, Map.of(), Map.of()), run);
    assertThat(r.name()).isEqualTo("shop-web-run-0123456789ab");
    assertThat(r.config().labels()).containsEntry("com.docker.compose.oneoff", "True").containsEntry("com.docker.compose.slug", slug)
        .doesNotContainKey("com.docker.compose.container-number").containsEntry("com.docker.compose.service", "web");
    assertThat(r.hostConfig().restartPolicy()).isEqualTo(HostConfig.RestartPolicy.NO);
    assertThat(r.hostConfig().autoRemove()).isTrue();
    assertThat(r.hostConfig().portBindings()).containsOnlyKeys("9000/tcp");
    assertThat(r.config().exposedPorts()).containsExactly("9000/tcp");
    assertThat(r.endpoints().get("shop_default").aliases()).containsExactly(name);
    assertThat(r.config().entrypoint()).containsExactly("/bin/sh");
    assertThat(r.config().cmd()).as("a new entrypoint drops the service's command").isEmpty();
    assertThat(r.config().env()).containsExactlyInAnyOrder("A=1", "B=3");
    assertThat(r.config().user()).isEqualTo("nobody");
    assertThat(r.config().workingDir()).isEqualTo("/tmp");
    assertThat(r.config().tty()).isTrue();
    assertThat(r.config().openStdin()).isTrue();

    var withServicePorts = new OneOff(slug, List.of("echo", "hi"), null, Map.of(), null, null, true, List.of(), true, false, null, false);
    var r2 = ContainerRequests.forOneOff(new ContainerContext(p, web, 0, name, "h", null, Map.of(), Map.of()), withServicePorts);
    assertThat(r2.hostConfig().portBindings()).containsOnlyKeys("80/tcp");
    assertThat(r2.endpoints().get("shop_default").aliases()).containsExactly(name, "web", "www");
    assertThat(r2.config().cmd()).containsExactly("echo", "hi");
    assertThat(r2.config().entrypoint()).isNull();
    assertThat(r2.hostConfig().autoRemove()).isFalse();
    assertThatThrownBy(() -> new OneOff("xyz", null, null, null, null, null, false, null, false, false, null, false))
        .hasMessageContaining("64 lower-case hex");
  }

  @Test
  void lessCommonHostSettingsAndDeviceRequests() {
    var blkio = record(io.jcompose.model.BlkioConfig.class, Map.of("weight", 300,
        "deviceReadBps", List.of(new io.jcompose.model.BlkioConfig.ThrottleDevice("/dev/sda", 1048576, Map.of()))));
    var gpu = new Deploy.DeviceRequest(List.of(), "nvidia", null, List.of(), Map.of());
    var reserved = new Deploy.DeviceRequest(List.of("gpu", "utility"), null, 2L, List.of(), Map.of());
    var deploy = record(Deploy.class, Map.of("resources", new Deploy.Resources(null,
        new Deploy.Resource(0, 0, 0, List.of(reserved), List.of(), Map.of()), Map.of())));
    var r = request(service("a", "blkioConfig", blkio, "gpus", List.of(gpu), "deploy", deploy, "cpuRtPeriod", 1000L, "cpuRtRuntime", 500L,
        "deviceCgroupRules", List.of("c 1:3 mr"), "storageOpt", Map.of("size", "1G"), "annotations", Map.of("com.example", "x")));
    HostConfig h = r.hostConfig();
    assertThat(h.resources().blkioWeight()).isEqualTo(300);
    assertThat(h.resources().blkioDeviceReadBps()).containsExactly(new HostConfig.ThrottleDevice("/dev/sda", 1048576));
    assertThat(h.resources().blkioDeviceWriteBps()).isEmpty();
    assertThat(h.resources().cpuRealtimePeriod()).isEqualTo(1000);
    assertThat(h.resources().cpuRealtimeRuntime()).isEqualTo(500);
    assertThat(h.resources().deviceCgroupRules()).containsExactly("c 1:3 mr");
    assertThat(h.storageOpt()).containsEntry("size", "1G");
    assertThat(h.annotations()).containsEntry("com.example", "x");
    assertThat(h.resources().deviceRequests()).containsExactly(
        new HostConfig.DeviceRequest("nvidia", -1, List.of(), List.of(List.of("gpu")), Map.of()),
        new HostConfig.DeviceRequest(null, 2, List.of(), List.of(List.of("gpu", "utility")), Map.of()));
  }
}
