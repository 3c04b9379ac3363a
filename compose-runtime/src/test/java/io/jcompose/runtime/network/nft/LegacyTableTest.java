package io.jcompose.runtime.network.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading {@code nft -a list table inet jcompose} (nftables 1.0.6's output, as on this host). */
class LegacyTableTest {
    static final String LISTING = """
            table inet jcompose { # handle 12
            \tchain forward { # handle 1
            \t\ttype filter hook forward priority filter; policy accept;
            \t\toifname "jc-0123456789ab" ct state established,related accept # handle 3
            \t\toifname "jc-other" iifname != "jc-other" drop # handle 4
            \t}

            \tchain prerouting { # handle 2
            \t\ttype nat hook prerouting priority dstnat; policy accept;
            \t\tiifname != "jc-0123456789ab" fib daddr type local tcp dport 8080 dnat ip to 172.18.0.2:80 # handle 5
            \t}
            }
            """;

    @Test
    void rulesWithTheirChainHandleAndInterfaceNames() {
        LegacyTable.Listing l = LegacyTable.parse(LISTING);
        assertThat(l.handle()).isEqualTo(12);
        assertThat(l.rules()).containsExactly(
                new LegacyTable.Rule("forward", 3, Set.of("jc-0123456789ab")),
                new LegacyTable.Rule("forward", 4, Set.of("jc-other")),
                new LegacyTable.Rule("prerouting", 5, Set.of("jc-0123456789ab")));
    }

    @Test
    void anythingElseIsNotTouched() {
        assertThat(LegacyTable.parse("")).isNull();
        assertThat(LegacyTable.parse("table inet jcompose-1a2b3 { # handle 3\n}\n")).as("a per-engine table").isNull();
        assertThat(LegacyTable.parse("table inet jcompose { # handle 7\n}\n").rules()).isEqualTo(List.of());
    }
}
