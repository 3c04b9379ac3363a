package io.jcompose.runtime.network.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpamTest {

    private static InetAddress ip(String s) {
        return Subnet.parseAddress(s);
    }

    @Test
    void subnetParsingNormalisesAndFormats() {
        assertThat(Subnet.parse("172.18.5.9/16").toString()).isEqualTo("172.18.0.0/16");
        assertThat(Subnet.parse("fd00:0:0:1::5/64").toString()).isEqualTo("fd00:0:0:1::/64");
        assertThat(Subnet.text(ip("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Subnet.parse("10.0.0.0/8").overlaps(Subnet.parse("10.1.0.0/16"))).isTrue();
        assertThat(Subnet.parse("10.0.0.0/16").overlaps(Subnet.parse("10.1.0.0/16"))).isFalse();
        assertThatThrownBy(() -> Subnet.parse("172.18.0.0")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> Subnet.parse("172.18.0.0/33")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Subnet.parseAddress("db")).hasMessageContaining("invalid IP address");
    }

    @Test
    void firstUserNetworkIs172_18AndSkipsOccupied() {
        List<Subnet> occupied = new ArrayList<>(List.of(DefaultPools.DEFAULT_BRIDGE, Subnet.parse("192.0.2.0/24")));
        assertThat(DefaultPools.firstFreeIpv4(occupied)).isEqualTo(Subnet.parse("172.18.0.0/16"));
        occupied.add(Subnet.parse("172.18.0.0/16"));
        occupied.add(Subnet.parse("172.19.3.0/24")); // a host route inside the next candidate
        assertThat(DefaultPools.firstFreeIpv4(occupied)).isEqualTo(Subnet.parse("172.20.0.0/16"));
        occupied.add(Subnet.parse("172.16.0.0/12")); // all of 172.16-31
        assertThat(DefaultPools.firstFreeIpv4(occupied)).isEqualTo(Subnet.parse("192.168.0.0/20"));
    }

    @Test
    void gatewayIsFirstAddressAndContainersGetLowestFree() {
        Pool p = Pool.of(Subnet.parse("172.18.0.0/16"), null);
        assertThat(p.gateway()).isEqualTo(ip("172.18.0.1"));
        List<InetAddress> used = new ArrayList<>();
        used.add(p.allocate(used, null));
        used.add(p.allocate(used, null));
        used.add(p.allocate(used, null));
        assertThat(used).containsExactly(ip("172.18.0.2"), ip("172.18.0.3"), ip("172.18.0.4"));
        used.remove(ip("172.18.0.3"));
        assertThat(p.allocate(used, null)).isEqualTo(ip("172.18.0.3")); // freed addresses are reused
    }

    @Test
    void ipamConfigRangeGatewayAuxAndStaticAddresses() {
        Pool p = Pool.of(Subnet.parse("10.5.0.0/24"),
                new IpamConfig("10.5.0.0/24", "10.5.0.128/25", "10.5.0.254", Map.of("host1", "10.5.0.128")));
        assertThat(p.gateway()).isEqualTo(ip("10.5.0.254"));
        assertThat(p.allocate(List.of(), null)).isEqualTo(ip("10.5.0.129"));
        assertThat(p.allocate(List.of(), ip("10.5.0.7"))).isEqualTo(ip("10.5.0.7"));
        assertThatThrownBy(() -> p.allocate(List.of(ip("10.5.0.7")), ip("10.5.0.7")))
                .hasMessageContaining("Address already in use");
        assertThatThrownBy(() -> p.allocate(List.of(), ip("10.6.0.7"))).hasMessageContaining("not in subnet");
        assertThatThrownBy(() -> p.allocate(List.of(), ip("10.5.0.255"))).hasMessageContaining("in use");
        assertThatThrownBy(() -> Pool.of(Subnet.parse("10.5.0.0/24"), new IpamConfig(null, null, "10.9.0.1", null)))
                .hasMessageContaining("gateway 10.9.0.1 is not inside");
        assertThatThrownBy(() -> Pool.of(Subnet.parse("10.5.0.0/24"), new IpamConfig(null, "10.5.1.0/25", null, null)))
                .hasMessageContaining("ip_range");
    }

    @Test
    void smallRangeRunsOut() {
        Pool p = Pool.of(Subnet.parse("10.7.0.0/30"), null); // .0 net, .1 gw, .2 free, .3 broadcast
        assertThat(p.allocate(List.of(), null)).isEqualTo(ip("10.7.0.2"));
        assertThatThrownBy(() -> p.allocate(List.of(ip("10.7.0.2")), null)).hasMessageContaining("no free address");
    }

    @Test
    void ipv6PoolsAndDefaultUla() {
        Pool p = Pool.of(Subnet.parse("fd12:3456::/64"), null);
        assertThat(p.gateway()).isEqualTo(ip("fd12:3456::1"));
        assertThat(p.allocate(List.of(), null)).isEqualTo(ip("fd12:3456::2"));
        Subnet ula = DefaultPools.ipv6For("abc", List.of());
        assertThat(ula.prefixLength()).isEqualTo(64);
        assertThat(ula.toString()).startsWith("fd");
        assertThat(DefaultPools.ipv6For("abc", List.of(ula))).isNotEqualTo(ula);
    }
}
