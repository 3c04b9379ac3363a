package io.jcompose.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostNamesTest {
    static final String NETWORK_ID = "3eff464b" + "0".repeat(56), CONTAINER_ID = "ab".repeat(32);

    @Test
    void everyNameCarriesTheTagOfTheDataRootAndFitsLinux() {
        HostNames n = HostNames.forDataRoot(Path.of("/var/lib/jcompose"));
        assertThat(n.tag()).matches("[0-9a-f]{5}");
        assertThat(HostNames.forDataRoot(Path.of("/var/lib/jcompose/../jcompose/"))).as("same root, same names").isEqualTo(n);
        assertThat(HostNames.forDataRoot(Path.of("/tmp/other-root")).tag()).isNotEqualTo(n.tag());
        assertThat(n.bridge(NETWORK_ID)).isEqualTo("jc" + n.tag() + "-3eff464").hasSize(15);
        assertThat(n.defaultBridge()).isEqualTo("jc" + n.tag() + "-bridge0").hasSize(15);
        assertThat(n.veth(NETWORK_ID + "/" + CONTAINER_ID)).startsWith("jc" + n.tag() + "v").hasSize(15);
        assertThat(n.nftTable()).isEqualTo("jcompose-" + n.tag());
        assertThat(n.cgroupParent()).isEqualTo("jcompose-" + n.tag());
    }

    @Test
    void ownsOnlyItsOwnLinksNeverTheOldNamesNorAnotherEngines() {
        HostNames n = new HostNames("1a2b3"), other = new HostNames("1a2b4");
        assertThat(n.ownsLink(n.bridge(NETWORK_ID))).isTrue();
        assertThat(n.ownsLink(n.veth("x"))).isTrue();
        assertThat(n.ownsLink(other.bridge(NETWORK_ID))).isFalse();
        assertThat(n.ownsLink(other.veth("x"))).isFalse();
        assertThat(n.ownsLink("jc-3eff464b0000")).as("older scheme").isFalse();
        assertThat(n.ownsLink("jcv3eff464b0000")).isFalse();
        assertThat(n.ownsLink("eth0")).isFalse();
        assertThatThrownBy(() -> new HostNames("xyz")).hasMessageContaining("5 hex digits");
    }
}
