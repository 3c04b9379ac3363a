package io.jcompose.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.network.ipam.HostIpamLock;
import io.jcompose.runtime.network.netlink.RtNetlink;
import io.jcompose.runtime.network.nft.LegacyTable;
import io.jcompose.runtime.network.testutil.Cmd;
import io.jcompose.runtime.sys.HostNames;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine started on a data root written before per-engine names: the state files have the
 * old shape ({@code jc-<12 hex>} bridges, {@code jc-bridge0} for the default network, {@code jcv…}
 * veths) and the host has the old objects, made here for real (bridges with their addresses, a
 * veth on one, the shared table {@code inet jcompose} with rules naming them, and a bridge of an
 * "older engine" on another data root).
 */
@Tag("root")
class UpgradeFromOldNamesTest {
    @TempDir
    Path root;

    RtNetlink nl;
    final List<String> links = new ArrayList<>();
    NetworkService svc;
    HostNames names;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(Cmd.isRoot(), "needs root for links and nftables");
        Assumptions.assumeTrue(Cmd.run("nft", "list", "tables").exit() == 0, "needs nft");
        Assumptions.assumeTrue(Cmd.run("nft", "list", "table", "inet", LegacyTable.NAME).exit() != 0,
                "an engine from before per-engine names runs here (table inet jcompose): this test makes and removes that table");
        nl = RtNetlink.open();
        Assumptions.assumeFalse(nl.linkExists(LegacyBridges.OLD_DEFAULT), "an engine from before per-engine names has jc-bridge0 here");
    }

    @AfterEach
    void tearDown() {
        try {
            if (svc != null) svc.close();
        } finally {
            if (names != null) {
                Cmd.run("nft", "delete", "table", "inet", names.nftTable()); // this temp root's: ours alone
            }
            Cmd.run("nft", "delete", "table", "inet", LegacyTable.NAME); // absent when we began: the one made here
            if (nl != null) {
                for (String l : links) nl.deleteLinkIfExists(l);
                nl.close();
            }
        }
    }

    @Test
    void oldBridgesAreRenamedInPlaceAndTheOldTableGoesWithTheLastOlderEnginesBridge() throws Exception {
        names = HostNames.forDataRoot(root);
        String idA = randomHex(64), idGone = randomHex(64), idDefault = randomHex(64), container = randomHex(64);
        String oldA = "jc-" + idA.substring(0, 12), oldGone = "jc-" + idGone.substring(0, 12), veth = "jcv" + randomHex(12);
        String foreign = "jc-" + randomHex(12); // an older engine's bridge, on another data root
        track(oldA, oldGone, veth, foreign, LegacyBridges.OLD_DEFAULT, names.bridge(idA), names.bridge(idGone), names.defaultBridge());
        List<String> subnets = HostIpamLock.holding(() -> {
            List<String> free = freeSubnets(3);
            nl.createBridge(oldA, 1500);
            nl.addAddress(nl.link(oldA).index(), InetAddress.ofLiteral(gateway(free.get(0))), 24);
            nl.createBridge(LegacyBridges.OLD_DEFAULT, 1500);
            nl.addAddress(nl.link(LegacyBridges.OLD_DEFAULT).index(), InetAddress.ofLiteral(gateway(free.get(1))), 24);
            return free;
        });
        nl.createVeth(veth, "jcp" + veth.substring(3), 1500, nl.link(oldA).index(), -1, null); // a container kept running
        nl.createBridge(foreign, 1500);
        int indexA = nl.link(oldA).index();
        writeOldNetwork(idA, "proj_default", oldA, null, subnets.get(0),
                "{\"" + container + "\":" + endpoint(idA, container, veth, subnets.get(0)) + "}");
        writeOldNetwork(idDefault, "bridge", LegacyBridges.OLD_DEFAULT, LegacyBridges.OLD_DEFAULT, subnets.get(1), "{}");
        writeOldNetwork(idGone, "proj_back", oldGone, null, subnets.get(2), "{}"); // its bridge went with a reboot
        oldTable(oldA, LegacyBridges.OLD_DEFAULT, oldGone, foreign);

        svc = open();

        NetworkState a = svc.find("proj_default").orElseThrow();
        assertThat(a.bridge()).isEqualTo(names.bridge(idA));
        assertThat(nl.linkExists(oldA)).isFalse();
        assertThat(nl.link(names.bridge(idA)).index()).as("renamed in place, not re-made").isEqualTo(indexA);
        assertThat(nl.link(veth).master()).as("the running container's veth stays on it").isEqualTo(indexA);
        assertThat(a.endpoints()).containsKey(container);
        assertThat(Cmd.run("ip", "-o", "-4", "addr", "show", "dev", names.bridge(idA)).output()).contains(gateway(subnets.get(0)) + "/24");
        NetworkState def = svc.find("bridge").orElseThrow();
        assertThat(def.bridge()).isEqualTo(names.defaultBridge());
        assertThat(def.driverOpts()).containsEntry(NetworkSpec.OPT_BRIDGE_NAME, names.defaultBridge());
        assertThat(nl.linkExists(LegacyBridges.OLD_DEFAULT)).isFalse();
        assertThat(svc.find("proj_back").orElseThrow().bridge()).isEqualTo(names.bridge(idGone));
        assertThat(nl.linkExists(names.bridge(idGone))).as("made under the new name").isTrue();
        assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output())
                .contains(names.bridge(idA), names.defaultBridge(), names.bridge(idGone)).doesNotContain("\"jc-");
        String old = Cmd.run("nft", "list", "table", "inet", LegacyTable.NAME).output();
        assertThat(old).as("the older engine's bridge still needs the old table").contains(foreign)
                .doesNotContain(oldA, LegacyBridges.OLD_DEFAULT, oldGone);
        svc.close();
        assertThat(Files.readString(root.resolve("network/networks/" + idA + ".json"))).as("recorded").contains(names.bridge(idA))
                .doesNotContain(oldA);

        nl.deleteLink(foreign); // the older engine is gone
        svc = open();
        assertThat(Cmd.run("nft", "list", "table", "inet", LegacyTable.NAME).exit()).as("nothing needs the old table now").isNotZero();
        assertThat(svc.find("proj_default").orElseThrow().bridge()).as("a second start changes nothing").isEqualTo(names.bridge(idA));
        assertThat(nl.link(veth).master()).isEqualTo(indexA);
    }

    @Test
    void anOldDefaultBridgeAnotherEngineUsesStaysTheirsAndOurRecordKeepsItsName() throws Exception {
        names = HostNames.forDataRoot(root);
        String id = randomHex(64), theirVeth = "jcv" + randomHex(12);
        track(LegacyBridges.OLD_DEFAULT, theirVeth, names.defaultBridge());
        List<String> subnets = HostIpamLock.holding(() -> {
            List<String> free = freeSubnets(1);
            nl.createBridge(LegacyBridges.OLD_DEFAULT, 1500);
            nl.addAddress(nl.link(LegacyBridges.OLD_DEFAULT).index(), InetAddress.ofLiteral(gateway(free.get(0))), 24);
            return free;
        });
        nl.createVeth(theirVeth, "jcp" + theirVeth.substring(3), 1500, nl.link(LegacyBridges.OLD_DEFAULT).index(), -1, null);
        writeOldNetwork(id, "bridge", LegacyBridges.OLD_DEFAULT, LegacyBridges.OLD_DEFAULT, subnets.get(0), "{}");
        oldTable(LegacyBridges.OLD_DEFAULT);

        svc = open();

        assertThat(svc.find("bridge").orElseThrow().bridge()).as("kept, consistently").isEqualTo(LegacyBridges.OLD_DEFAULT);
        assertThat(nl.linkExists(LegacyBridges.OLD_DEFAULT)).isTrue();
        assertThat(nl.linkExists(names.defaultBridge())).isFalse();
        assertThat(nl.linkExists(theirVeth)).as("their container's veth is no stray of ours").isTrue();
        assertThat(Cmd.run("nft", "list", "table", "inet", LegacyTable.NAME).output()).as("their rules stay")
                .contains(LegacyBridges.OLD_DEFAULT);
        assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output()).contains(LegacyBridges.OLD_DEFAULT);
    }

    NetworkService open() {
        return new NetworkService(NetworkService.Options.defaults(root).withHostUpstreams(List.of()));
    }

    void track(String... names) {
        links.addAll(List.of(names));
    }

    /** A network record as engines before per-engine names wrote it. */
    void writeOldNetwork(String id, String name, String bridge, String bridgeOpt, String subnet, String endpoints) throws Exception {
        Path dir = root.resolve("network/networks");
        Files.createDirectories(dir);
        String opts = bridgeOpt == null ? "{}" : "{\"" + NetworkSpec.OPT_BRIDGE_NAME + "\":\"" + bridgeOpt + "\"}";
        Files.writeString(dir.resolve(id + ".json"), """
                {"id":"%s","name":"%s","bridge":"%s","mtu":1500,"internal":false,"enableIpv6":false,"attachable":false,\
                "labels":{},"driverOpts":%s,"pools":[{"subnet":"%s","range":"%s","gateway":"%s","reserved":[]}],\
                "endpoints":%s,"created":"2026-11-01T10:00:00Z"}""".formatted(id, name, bridge, opts, subnet, subnet, gateway(subnet), endpoints));
    }

    static String endpoint(String networkId, String containerId, String veth, String subnet) {
        String ip = subnet.replace(".0/24", ".2");
        return """
                {"networkId":"%s","containerId":"%s","ifname":"eth0","hostVeth":"%s","mac":"02:42:0a:00:00:02","ipv4":"%s",\
                "ipv4Prefix":24,"gateway":"%s","ipv6":null,"ipv6Prefix":0,"gateway6":null,"dnsNames":["web"]}"""
                .formatted(networkId, containerId, veth, ip, gateway(subnet));
    }

    /** The shared table as the older engines wrote it, naming these bridges. */
    static void oldTable(String... bridges) throws Exception {
        StringBuilder b = new StringBuilder("table inet jcompose {\n chain forward {\n  type filter hook forward priority filter; policy accept;\n");
        for (String br : bridges) b.append("  oifname \"%s\" ct state established,related accept\n".formatted(br));
        for (String br : bridges) b.append("  oifname \"%s\" iifname != \"%s\" drop\n".formatted(br, br));
        b.append(" }\n chain prerouting {\n  type nat hook prerouting priority dstnat; policy accept;\n");
        b.append("  iifname != \"%s\" fib daddr type local tcp dport 18080 dnat ip to 10.254.254.2:80\n".formatted(bridges[0]));
        b.append(" }\n}\n");
        Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(b.toString().getBytes());
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    /** {@code n} /24s in 10.211.0.0/16 that no host address or route uses (call under {@link HostIpamLock}). */
    List<String> freeSubnets(int n) {
        String used = Cmd.run("ip", "-o", "addr").output() + Cmd.run("ip", "-o", "route").output();
        List<String> out = new ArrayList<>();
        for (int i = 1 + new SecureRandom().nextInt(200); out.size() < n && i < 255; i++) {
            if (!used.contains("10.211." + i + ".")) out.add("10.211." + i + ".0/24");
        }
        assertThat(out).hasSize(n);
        return out;
    }

    static String gateway(String subnet) {
        return subnet.replace(".0/24", ".1");
    }

    static String randomHex(int n) {
        byte[] b = new byte[n / 2];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
