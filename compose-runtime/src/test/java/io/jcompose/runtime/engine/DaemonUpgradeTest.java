package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.network.netlink.RtNetlink;
import io.jcompose.runtime.network.nft.LegacyTable;
import io.jcompose.runtime.network.testutil.Cmd;
import io.jcompose.runtime.sys.HostNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon upgraded under a running container: the stopped daemon's network record, bridge,
 * veth and table are turned into what an engine before per-engine names had ({@code jc-<12 hex>},
 * {@code jcv<12 hex>}, {@code inet jcompose}, no kept tag), then the new daemon starts on it.
 */
@Tag("root")
@Tag("registry")
class DaemonUpgradeTest {

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("upgrade");

    @Test
    void aContainerRunningAcrossTheUpgradeKeepsItsNetworkOnTheRenamedBridge() throws Exception {
        Assumptions.assumeTrue(Cmd.run("nft", "list", "table", "inet", LegacyTable.NAME).exit() != 0,
                "an engine from before per-engine names runs here (table inet jcompose): this test makes and removes that table");
        d.docker("network", "create", "proj_net").ok();
        d.docker("run", "-d", "--name", "web", "--network", "proj_net", "busybox", "sleep", "600").ok();
        String netId = d.docker("network", "inspect", "--format", "{{.Id}}", "proj_net").ok().out().strip();
        String gateway = d.docker("network", "inspect", "--format", "{{(index .IPAM.Config 0).Gateway}}", "proj_net").ok().out().strip();
        HostNames names = HostNames.forDataRoot(d.dataRoot());
        String bridge = names.bridge(netId), oldBridge = "jc-" + netId.substring(0, 12);
        Path record = d.dataRoot().resolve("network/networks/" + netId + ".json");

        d.stopDaemon(); // the container keeps running
        String state = Files.readString(record);
        String veth = state.replaceAll("(?s).*\"hostVeth\"\\s*:\\s*\"([^\"]+)\".*", "$1"), oldVeth = "jcv" + veth.substring(veth.length() - 7) + "00000";
        try (RtNetlink nl = RtNetlink.open()) {
            int b = nl.link(bridge).index();
            renameDown(nl, b, oldBridge);
            renameDown(nl, nl.link(veth).index(), oldVeth);
            Files.writeString(record, state.replace(bridge, oldBridge).replace(veth, oldVeth));
            Files.delete(d.dataRoot().resolve(HostNames.TAG_FILE));
            Cmd.run("nft", "delete", "table", "inet", names.nftTable());
            Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(("table inet jcompose {\n chain forward {\n  type filter hook forward priority filter; policy accept;\n"
                        + "  oifname \"" + oldBridge + "\" iifname != \"" + oldBridge + "\" drop\n }\n}\n").getBytes());
            }
            assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();

            d.startDaemon();

            assertThat(nl.linkExists(oldBridge)).isFalse();
            assertThat(nl.link(bridge).index()).as("renamed in place").isEqualTo(b);
            assertThat(nl.link(oldVeth).master()).as("the container's veth keeps its recorded name, on the bridge").isEqualTo(b);
            assertThat(Cmd.run("nft", "list", "table", "inet", LegacyTable.NAME).exit()).as("no older engine left: table gone").isNotZero();
            assertThat(Cmd.run("nft", "list", "table", "inet", names.nftTable()).output()).contains(bridge);
            assertThat(d.docker("inspect", "--format", "{{.State.Status}}", "web").ok().out().strip()).isEqualTo("running");
            assertThat(d.docker("exec", "web", "ping", "-c", "1", "-W", "3", gateway).ok().out()).as("still on its network")
                    .contains("1 packets received");
            d.docker("rm", "-f", "web").ok();
            d.docker("network", "rm", "proj_net").ok();
            assertThat(Cmd.run("ip", "-o", "link").output()).as("removed with the network, under its new name").doesNotContain(bridge, oldBridge);
        } finally {
            Cmd.run("nft", "delete", "table", "inet", LegacyTable.NAME); // absent when the test began
            if (!d.running()) d.startDaemon();
            d.docker("rm", "-f", "web");
            d.docker("network", "rm", "proj_net");
            for (String l : new String[] {oldBridge, oldVeth, bridge}) Cmd.run("ip", "link", "del", l); // what a failed step left
        }
    }

    private static void renameDown(RtNetlink nl, int index, String name) {
        nl.setUp(index, false);
        nl.rename(index, name);
        nl.setUp(index, true);
    }
}
