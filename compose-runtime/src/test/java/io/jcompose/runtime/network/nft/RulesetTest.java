package io.jcompose.runtime.network.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.network.ipam.Subnet;
import io.jcompose.runtime.network.testutil.Cmd;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class RulesetTest {
    static final BridgeRules OPEN = new BridgeRules("jc-aaaaaaaaaaaa",
            List.of(Subnet.parse("172.18.0.0/16"), Subnet.parse("fd00:1::/64")), false,
            List.of(new PortRule("tcp", null, 8080, Subnet.parseAddress("172.18.0.2"), 80)));
    static final BridgeRules INTERNAL = new BridgeRules("jc-bbbbbbbbbbbb", List.of(Subnet.parse("172.19.0.0/16")), true, List.of());

    @Test
    void masqueradeOnlyForNonInternalAndDropsAfterAccepts() {
        String t = Ruleset.replaceTable("jcompose-1a2b3", List.of(OPEN, INTERNAL));
        assertThat(t).startsWith("table inet jcompose-1a2b3 {}\ndelete table inet jcompose-1a2b3\ntable inet jcompose-1a2b3 {");
        assertThat(t).contains("ip saddr 172.18.0.0/16 oifname != \"jc-aaaaaaaaaaaa\" masquerade")
                .contains("ip6 saddr fd00:1::/64 oifname != \"jc-aaaaaaaaaaaa\" masquerade")
                .doesNotContain("172.19.0.0/16 oifname")
                .contains("iifname \"jc-bbbbbbbbbbbb\" oifname != \"jc-bbbbbbbbbbbb\" drop")
                .contains("fib daddr type local tcp dport 8080 dnat ip to 172.18.0.2:80");
        assertThat(t.indexOf("ct status dnat accept")).isLessThan(t.indexOf("oifname \"jc-aaaaaaaaaaaa\" iifname != \"jc-aaaaaaaaaaaa\" drop"));
        assertThat(t).doesNotContain("flush ruleset");
    }

    @Test
    void onlyTablesNamedJcomposeAreWritten() {
        assertThatThrownBy(() -> Ruleset.deleteTable("filter")).hasMessageContaining("not a jcompose table");
        assertThatThrownBy(() -> Ruleset.replaceTable("jcompose x", List.of(OPEN))).hasMessageContaining("not a jcompose table");
    }

    @Test
    @Tag("root")
    void nftAcceptsTheBatchAndRebuildsWithoutDuplicates() {
        Assumptions.assumeTrue(Cmd.isRoot(), "needs root for nftables");
        String table = "jcompose-t" + Long.toHexString(ProcessHandle.current().pid()); // ours alone
        Nft nft = new Nft(table);
        try {
            nft.sync(List.of(OPEN, INTERNAL));
            nft.sync(List.of(OPEN, INTERNAL)); // as after an engine restart
            String listed = Cmd.run("nft", "list", "table", "inet", table).output();
            assertThat(listed.split("masquerade", -1)).hasSize(3); // two subnets, once each
            assertThat(listed).contains("jc-bbbbbbbbbbbb");
        } finally {
            nft.sync(List.of());
        }
        assertThat(Cmd.run("nft", "list", "table", "inet", table).exit()).isNotZero();
    }
}
