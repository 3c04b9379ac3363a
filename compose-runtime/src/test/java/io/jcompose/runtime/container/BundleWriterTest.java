package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.container.ContainerSpec.MountSpec;
import io.jcompose.runtime.container.ContainerSpec.NamespaceMode;
import io.jcompose.runtime.container.UserResolver.ResolvedUser;
import io.jcompose.runtime.container.oci.OciSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleWriterTest {
    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(0L));
    static final Path ROOTFS = Path.of("/var/lib/jcompose/containers/x/rootfs");

    static ContainerSpec base() {
        return ContainerSpec.of(List.of(Path.of("/layers/1")), List.of("true"));
    }

    static OciSpec build(ContainerSpec spec, boolean v2) {
        return new BundleWriter(v2, "jcompose-1a2b3").build(ID, spec, ROOTFS, ROOT, List.of("true"));
    }

    static ContainerSpec with(java.util.function.UnaryOperator<Object[]> f) {
        return with(BundleWriterTest::base, f);
    }

    /** A copy of the spec with one record component replaced (tests only). */
    static ContainerSpec with(java.util.function.Supplier<ContainerSpec> from, String field, Object value) {
        return with(from, a -> { a[idx(field)] = value; return a; });
    }

    static ContainerSpec with(java.util.function.Supplier<ContainerSpec> from, java.util.function.UnaryOperator<Object[]> f) {
        var c = from.get();
        Object[] a = new Object[ContainerSpec.class.getRecordComponents().length];
        var comps = ContainerSpec.class.getRecordComponents();
        try {
            for (int i = 0; i < a.length; i++) a[i] = comps[i].getAccessor().invoke(c);
            a = f.apply(a);
            var types = java.util.Arrays.stream(comps).map(java.lang.reflect.RecordComponent::getType).toArray(Class[]::new);
            return ContainerSpec.class.getDeclaredConstructor(types).newInstance(a);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static int idx(String name) {
        var comps = ContainerSpec.class.getRecordComponents();
        for (int i = 0; i < comps.length; i++) if (comps[i].getName().equals(name)) return i;
        throw new AssertionError(name);
    }

    static ContainerSpec set(String field, Object value) {
        return with(a -> { a[idx(field)] = value; return a; });
    }

    @Test
    void dockersDefaultCapabilitiesInAllThreeSetsButNotInheritable() {
        var caps = build(base(), false).process().capabilities();
        assertThat(caps.bounding()).hasSize(14).containsExactlyInAnyOrderElementsOf(DockerDefaults.CAPABILITIES);
        assertThat(caps.effective()).isEqualTo(caps.bounding()).isEqualTo(caps.permitted());
        assertThat(caps.inheritable()).isNull();
        // bit mask of the list = a80425fb, the value /proc/1/status shows under Docker
        long mask = 0;
        for (String c : caps.bounding()) mask |= 1L << DockerDefaults.ALL_CAPABILITIES.indexOf(c);
        assertThat(Long.toHexString(mask)).isEqualTo("a80425fb");
    }

    @Test
    void capAddAndDrop() {
        var spec = with(a -> { a[idx("capAdd")] = List.of("net_admin"); a[idx("capDrop")] = List.of("CAP_CHOWN", "MKNOD"); return a; });
        assertThat(BundleWriter.capabilities(spec)).contains("CAP_NET_ADMIN").doesNotContain("CAP_CHOWN", "CAP_MKNOD").hasSize(13);
        var onlyOne = with(a -> { a[idx("capAdd")] = List.of("KILL"); a[idx("capDrop")] = List.of("ALL"); return a; });
        assertThat(BundleWriter.capabilities(onlyOne)).containsExactly("CAP_KILL");
        assertThatThrownBy(() -> BundleWriter.capabilities(set("capAdd", List.of("BOGUS")))).hasMessageContaining("CAP_BOGUS");
        assertThat(BundleWriter.capabilities(set("privileged", true))).isEqualTo(BundleWriter.hostCapabilities()).hasSizeGreaterThan(30);
    }

    @Test
    void defaultMountsInDockersOrderWithShm64MiB() {
        var mounts = build(base(), false).mounts();
        assertThat(mounts).extracting(OciSpec.Mount::destination).containsExactly(
                "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(mounts.get(6).options()).containsExactly("nosuid", "noexec", "nodev", "mode=1777", "size=67108864");
        assertThat(mounts.get(3).options()).contains("ro");
    }

    @Test
    void userMountsReplaceDefaultsAndSortByDepth() {
        var spec = set("mounts", List.of(
                new MountSpec.Bind(Path.of("/srv/data"), "/data/deep/x", true, null, true, false),
                new MountSpec.Tmpfs("/dev/shm", 1024L * 1024, 01777, false),
                new MountSpec.Volume("v", Path.of("/var/lib/jcompose/volumes/v/_data"), "/data", false)));
        var mounts = build(spec, false).mounts();
        assertThat(mounts).extracting(OciSpec.Mount::destination).containsExactly(
                "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/data", "/dev/shm", "/data/deep/x");
        assertThat(mounts.get(7).options()).containsExactly("noexec", "nosuid", "nodev", "rprivate", "size=1048576", "mode=1777");
        assertThat(mounts.get(8).options()).containsExactly("rbind", "rprivate", "rro");
        assertThat(mounts.get(6).options()).containsExactly("rbind", "rprivate");
    }

    @Test
    void userDevDropsEveryDevDefault() {
        var spec = set("mounts", List.of(new MountSpec.Bind(Path.of("/dev"), "/dev", false, null, true, false)));
        assertThat(build(spec, false).mounts()).extracting(OciSpec.Mount::destination)
                .containsExactly("/proc", "/sys", "/sys/fs/cgroup", "/dev");
    }

    @Test
    void readOnlyRootAndEtcFiles() {
        var spec = with(a -> {
            a[idx("readOnly")] = true;
            a[idx("etcFiles")] = new ContainerSpec.EtcFiles(Path.of("/h/hosts"), Path.of("/h/hostname"), Path.of("/h/resolv.conf"));
            return a;
        });
        var oci = build(spec, false);
        assertThat(oci.root().readonly()).isTrue();
        assertThat(oci.mounts()).filteredOn(m -> m.destination().startsWith("/etc/"))
                .allSatisfy(m -> assertThat(m.options()).containsExactly("rbind", "rprivate", "ro"));
        assertThat(oci.mounts()).filteredOn(m -> m.destination().equals("/dev/mqueue"))
                .allSatisfy(m -> assertThat(m.options()).doesNotContain("ro"));
        var rw = build(set("etcFiles", new ContainerSpec.EtcFiles(Path.of("/h/hosts"), null, null)), false);
        assertThat(rw.mounts()).filteredOn(m -> m.destination().equals("/etc/hosts"))
                .singleElement().satisfies(m -> assertThat(m.options()).containsExactly("rbind", "rprivate"));
    }

    @Test
    void maskedAndReadonlyPathsUnlessPrivileged() {
        var linux = build(base(), false).linux();
        assertThat(linux.maskedPaths()).containsAll(DockerDefaults.MASKED_PATHS);
        assertThat(linux.readonlyPaths()).containsExactlyElementsOf(DockerDefaults.READONLY_PATHS);
        var priv = build(set("privileged", true), false).linux();
        assertThat(priv.maskedPaths()).isEmpty();
        assertThat(priv.readonlyPaths()).isEmpty();
    }

    @Test
    void namespacesFollowModesAndCgroupVersion() {
        assertThat(build(base(), false).linux().namespaces()).extracting(OciSpec.Namespace::type)
                .containsExactly("mount", "network", "uts", "pid", "ipc");
        assertThat(build(base(), true).linux().namespaces()).extracting(OciSpec.Namespace::type)
                .containsExactly("mount", "network", "uts", "pid", "ipc", "cgroup");
        var joined = with(a -> {
            a[idx("network")] = new NamespaceMode.Join(Path.of("/run/netns/jc-1"));
            a[idx("pid")] = new NamespaceMode.Host();
            return a;
        });
        var ns = build(joined, false).linux().namespaces();
        assertThat(ns).contains(new OciSpec.Namespace("network", "/run/netns/jc-1"));
        assertThat(ns).extracting(OciSpec.Namespace::type).doesNotContain("pid");
        var host = build(set("network", new NamespaceMode.Host()), false);
        assertThat(host.linux().namespaces()).extracting(OciSpec.Namespace::type).doesNotContain("network", "uts");
        assertThat(host.hostname()).isNull();
        assertThat(host.linux().sysctl()).isNull();
    }

    @Test
    void hostnameEnvAndSysctls() {
        var oci = build(set("sysctls", Map.of("net.core.somaxconn", "1024")), false);
        assertThat(oci.hostname()).isEqualTo("0123456789ab");
        assertThat(oci.process().env()).startsWith("PATH=" + Environment.DEFAULT_PATH, "HOSTNAME=0123456789ab");
        assertThat(oci.process().cwd()).isEqualTo("/");
        assertThat(oci.linux().sysctl()).containsEntry("net.ipv4.ip_unprivileged_port_start", "0")
                .containsEntry("net.ipv4.ping_group_range", "0 2147483647").containsEntry("net.core.somaxconn", "1024");
        assertThat(oci.linux().cgroupsPath()).as("under the engine's own parent").isEqualTo("/jcompose-1a2b3/" + ID);
    }

    @Test
    void resourcesAndDeviceRules() {
        var spec = set("resources", ContainerSpec.Resources.ofCpus(1.5).withMemory(64L << 20).withPidsLimit(50L));
        var r = build(spec, false).linux().resources();
        assertThat(r.memory().limit()).isEqualTo(64L << 20);
        assertThat(r.memory().swap()).isEqualTo(128L << 20);
        assertThat(r.cpu().quota()).isEqualTo(150_000L);
        assertThat(r.cpu().period()).isEqualTo(100_000L);
        assertThat(r.pids().limit()).isEqualTo(50L);
        assertThat(r.devices().getFirst()).isEqualTo(new OciSpec.DeviceRule(false, null, null, null, "rwm"));
        assertThat(r.devices().getLast()).isEqualTo(new OciSpec.DeviceRule(false, "c", 10L, 229L, "rwm"));
    }

    @Test
    void builderRoundTrips() {
        var spec = ContainerSpec.builder(List.of(Path.of("/l"))).command(List.of("x")).user("app").tty(true).build();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.toBuilder().user("root").build().user()).isEqualTo("root");
        assertThat(spec.log()).isEqualTo(ContainerSpec.LogConfig.DEFAULT);
        assertThat(spec.network()).isEqualTo(new NamespaceMode.Private());
    }

    @Test
    void jsonUsesOciFieldNamesAndOmitsNulls() {
        String json = BundleWriter.toJson(build(base(), false));
        assertThat(json).contains("\"ociVersion\"", "\"bounding\"", "\"cgroupsPath\"", "\"maskedPaths\"", "\"additionalGids\"")
                .doesNotContain("null", "\"inheritable\"");
    }

    @Test
    void onlyNamespacedSysctls() {
        BundleWriter.validate(set("sysctls", Map.of("net.core.somaxconn", "1024", "kernel.shmmax", "1", "fs.mqueue.msg_max", "20")));
        assertThatThrownBy(() -> BundleWriter.validate(set("sysctls", Map.of("vm.swappiness", "1"))))
                .hasMessageContaining("only namespaced sysctls");
        var hostNet = with(a -> { a[idx("network")] = new NamespaceMode.Host(); a[idx("sysctls")] = Map.of("net.core.somaxconn", "1"); return a; });
        assertThatThrownBy(() -> BundleWriter.validate(hostNet)).hasMessageContaining("host's network namespace");
    }

    @Test
    void privilegedGetsTheHostsDevices() {
        var devices = build(set("privileged", true), false).linux().devices();
        assertThat(devices).anySatisfy(d -> {
            assertThat(d.path()).isEqualTo("/dev/null");
            assertThat(d.type()).isEqualTo("c");
            assertThat(d.major()).isEqualTo(1);
            assertThat(d.minor()).isEqualTo(3);
        });
        assertThat(devices).noneMatch(d -> d.path().startsWith("/dev/pts/"));
        assertThat(build(base(), false).linux().devices()).isNull();
    }
}
