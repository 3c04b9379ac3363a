package io.jcompose.runtime.network.netlink;

import io.jcompose.runtime.sys.SyscallException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.network.netns.NetNamespace;
import io.jcompose.runtime.network.testutil.Cmd;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("root")
class RtNetlinkTest {

    @Test
    void bridgeVethNamespaceAddressesRoutesAndPing() throws Exception {
        Assumptions.assumeTrue(Cmd.isRoot(), "needs root to create links and namespaces");
        String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
        String bridge = "jc-t" + suffix;
        String veth = "jcvt" + suffix;
        Path ns = NetNamespace.pathFor("t" + suffix);
        InetAddress gw = InetAddress.getByName("10.213.7.1");
        InetAddress peer = InetAddress.getByName("10.213.7.2");
        try (RtNetlink nl = RtNetlink.open()) {
            NetNamespace.create(ns);
            assertThat(Cmd.run("ip", "netns", "list").output()).contains(ns.getFileName().toString());
            nl.createBridge(bridge, 1400);
            Link br = nl.link(bridge);
            assertThat(br.kind()).isEqualTo("bridge");
            assertThat(br.mtu()).isEqualTo(1400);
            assertThat(br.up()).isTrue();
            assertThatThrownBy(() -> nl.createBridge(bridge, 0))
                    .isInstanceOf(SyscallException.class).hasMessageContaining("EEXIST");
            nl.addAddress(br.index(), gw, 24);
            assertThat(nl.addresses()).contains(new Address(br.index(), gw, 24));

            NetNamespace.withFd(ns, fd -> {
                nl.createVeth(veth, "eth0", 1400, br.index(), fd, "02:42:0a:d5:07:02");
                return null;
            });
            assertThat(nl.link(veth).master()).isEqualTo(br.index());
            NetNamespace.call(ns, () -> {
                try (RtNetlink in = RtNetlink.open()) {
                    Link eth0 = in.link("eth0");
                    assertThat(eth0.mac()).isEqualTo("02:42:0a:d5:07:02");
                    in.setMtu(eth0.index(), 1300);
                    in.rename(eth0.index(), "eth7");
                    in.setUp(eth0.index(), true);
                    in.addAddress(eth0.index(), peer, 24);
                    in.addDefaultRoute(gw, eth0.index());
                    assertThat(in.links()).extracting(Link::name).containsExactlyInAnyOrder("lo", "eth7");
                    assertThat(in.routes()).anyMatch(r -> r.destination() == null && gw.equals(r.gateway()));
                    assertThat(in.link("eth7").mtu()).isEqualTo(1300);
                }
                return null;
            });
            // the host does not see the container side
            assertThat(nl.linkExists("eth7")).isFalse();
            Cmd ping = Cmd.inNetns(ns.getFileName().toString(), "busybox", "ping", "-c", "1", "-W", "2",
                    gw.getHostAddress());
            assertThat(ping.exit()).as(ping.output()).isZero();
            assertThatThrownBy(() -> nl.link("jc-nonexistent0"))
                    .isInstanceOf(SyscallException.class).hasMessageContaining("ENODEV");
        } finally {
            try (RtNetlink nl = RtNetlink.open()) {
                nl.deleteLinkIfExists(veth);
                nl.deleteLinkIfExists(bridge);
            }
            NetNamespace.delete(ns);
        }
        assertThat(Cmd.run("ip", "link").output()).doesNotContain(bridge).doesNotContain(veth);
        assertThat(Cmd.run("ip", "netns", "list").output()).doesNotContain(ns.getFileName().toString());
    }

    @Test
    void moveIntoNamespaceByFd() {
        Assumptions.assumeTrue(Cmd.isRoot(), "needs root to create links and namespaces");
        String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
        String a = "jcvm" + suffix;
        Path ns = NetNamespace.pathFor("m" + suffix);
        try (RtNetlink nl = RtNetlink.open()) {
            NetNamespace.create(ns);
            nl.createVeth(a, a + "p", 0, 0, -1, null);
            Link peer = nl.link(a + "p");
            NetNamespace.withFd(ns, fd -> {
                nl.moveToNetns(peer.index(), fd);
                return null;
            });
            assertThat(nl.linkExists(a + "p")).isFalse();
            String inside = NetNamespace.call(ns, () -> {
                try (RtNetlink in = RtNetlink.open()) {
                    return in.link(a + "p").name();
                }
            });
            assertThat(inside).isEqualTo(a + "p");
        } finally {
            try (RtNetlink nl = RtNetlink.open()) {
                nl.deleteLinkIfExists(a);
            }
            NetNamespace.delete(ns);
        }
    }
}
