package io.jcompose.runtime.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.network.testutil.DnsMessages;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsResolverTest {
    DnsRecords records = new DnsRecords();
    DnsResolver resolver = new DnsResolver(records, Duration.ofMillis(200));

    static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @BeforeEach
    void setUp() {
        records.addNetwork("n1", "proj_default");
        records.addNetwork("n2", "proj_back");
        records.register("n1", new DnsRecords.Entry("c-client", List.of("proj-client-1", "client"), ip("172.18.0.9"), null));
        for (int i = 1; i <= 3; i++) {
            records.register("n1", new DnsRecords.Entry("c-web" + i, List.of("proj-web-" + i, "web", "abcdef00000" + i),
                    ip("172.18.0." + (i + 1)), i == 1 ? ip("fd00::" + (i + 1)) : null));
        }
        records.register("n2", new DnsRecords.Entry("c-db", List.of("proj-db-1", "db"), ip("172.19.0.2"), null));
    }

    @AfterEach
    void tearDown() {
        resolver.close();
    }

    DnsMessages.Answer ask(String container, String name, DnsRecordType type) {
        return DnsMessages.parse(resolver.answer(container, DnsMessages.query(4242, name, type), true).join());
    }

    @Test
    void serviceNameReturnsAllReplicasShuffledWithTtl600() {
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            DnsMessages.Answer a = ask("c-client", "web", DnsRecordType.A);
            assertThat(a.id()).isEqualTo(4242);
            assertThat(a.rcode()).isZero();
            assertThat(a.addresses()).containsExactlyInAnyOrder("172.18.0.2", "172.18.0.3", "172.18.0.4");
            assertThat(a.ttls()).containsOnly(600L);
            orders.add(a.addresses());
        }
        assertThat(orders).hasSizeGreaterThan(1);
    }

    @Test
    void caseInsensitiveTrailingDotContainerNamesAndNetworkSuffix() {
        assertThat(ask("c-client", "PROJ-Web-2.", DnsRecordType.A).addresses()).containsExactly("172.18.0.3");
        assertThat(ask("c-client", "web.proj_default", DnsRecordType.A).addresses()).hasSize(3);
        assertThat(ask("c-client", "abcdef000003", DnsRecordType.A).addresses()).containsExactly("172.18.0.4");
    }

    @Test
    void aaaaAndKnownNameWithoutThatFamily() {
        assertThat(ask("c-client", "proj-web-1", DnsRecordType.AAAA).addresses()).containsExactly("fd00:0:0:0:0:0:0:2");
        DnsMessages.Answer none = ask("c-client", "client", DnsRecordType.AAAA);
        assertThat(none.rcode()).isZero();
        assertThat(none.addresses()).isEmpty();
    }

    @Test
    void ptrAnswersFirstNameDotNetwork() {
        DnsMessages.Answer a = ask("c-client", "3.0.18.172.in-addr.arpa.", DnsRecordType.PTR);
        assertThat(a.ptr()).containsExactly("proj-web-2.proj_default.");
    }

    @Test
    void otherNetworksAreInvisibleAndUnknownNamesWithoutUpstreamAreServfail() {
        DnsMessages.Answer a = ask("c-client", "db", DnsRecordType.A);
        assertThat(a.rcode()).isEqualTo(2);
        assertThat(ask("c-db", "db", DnsRecordType.A).addresses()).containsExactly("172.19.0.2");
        records.unregister("n2", "c-db");
        assertThat(ask("c-db", "db", DnsRecordType.A).rcode()).isEqualTo(2);
    }

    @Test
    void largeAnswersAreTruncatedOverUdp() {
        for (int i = 10; i < 60; i++) {
            records.register("n1", new DnsRecords.Entry("c-many" + i, List.of("many"), ip("172.18.1." + i), null));
        }
        DnsMessages.Answer udp = ask("c-client", "many", DnsRecordType.A);
        assertThat(udp.truncated()).isTrue();
        assertThat(udp.addresses()).hasSizeBetween(20, 49); // as many as fit in 512 bytes
        byte[] q = DnsMessages.query(1, "many", DnsRecordType.A);
        byte[] edns = java.util.Arrays.copyOf(q, q.length + 11); // + OPT: root, type 41, class = 4096
        edns[11] = 1;
        edns[q.length + 2] = 41;
        edns[q.length + 3] = 0x10;
        DnsMessages.Answer big = DnsMessages.parse(resolver.answer("c-client", edns, true).join());
        assertThat(big.truncated()).isFalse();
        assertThat(big.addresses()).hasSize(50);
        byte[] tcp = resolver.answer("c-client", DnsMessages.query(1, "many", DnsRecordType.A), false).join();
        assertThat(DnsMessages.parse(tcp).addresses()).hasSize(50);
    }

    @Test
    void resolvConfAndHostsFollowDocker() {
        ResolvConf host = ResolvConf.parse(java.nio.file.Path.of("/etc/resolv.conf"),
                "nameserver 127.0.0.53\nsearch corp.example\noptions edns0 trust-ad\n");
        assertThat(host.forInternalResolver(List.of(), List.of(), List.of())).isEqualTo("""
                # Generated by Docker Engine.
                # This file can be edited; Docker Engine will not make further changes once it
                # has been modified.

                nameserver 127.0.0.11
                search corp.example
                options edns0 trust-ad ndots:0

                # Based on host file: '/etc/resolv.conf' (internal resolver)
                # ExtServers: [host(127.0.0.53)]
                # Overrides: []
                # Option ndots from: internal
                """);
        assertThat(host.forInternalResolver(List.of("10.0.0.2"), List.of(), List.of("ndots:2")))
                .contains("options ndots:2\n").contains("# ExtServers: [10.0.0.2]")
                .contains("# Overrides: [nameservers options]").contains("# Option ndots from: override");
        assertThat(HostsFile.render("abcdef012345", null, List.of("172.18.0.2"),
                List.of(new HostsFile.ExtraHost("somehost", "10.9.9.9")), true)).isEqualTo("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::\tip6-localnet
                ff00::\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                10.9.9.9\tsomehost
                172.18.0.2\tabcdef012345
                """);
    }
}
