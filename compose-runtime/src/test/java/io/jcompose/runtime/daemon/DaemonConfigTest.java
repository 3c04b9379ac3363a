package io.jcompose.runtime.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest {

    @Test
    void readsDaemonJsonKeys() {
        DaemonConfig c = DaemonConfig.parse("""
                {"data-root": "/srv/jc", "hosts": ["unix:///tmp/x.sock", "tcp://127.0.0.1:2375"],
                 "registry-mirrors": ["http://127.0.0.1:5000"], "insecure-registries": ["127.0.0.1:5000"],
                 "default-address-pools": [{"base": "172.80.0.0/16", "size": 24}],
                 "log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}, "dns": ["127.0.0.1"], "debug": true}
                """, "test.json");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/srv/jc"));
        assertThat(c.socketPath()).isEqualTo(Path.of("/tmp/x.sock"));
        assertThat(c.listeners()).hasSize(2);
        assertThat(c.defaultAddressPools()).containsExactly(new DaemonConfig.AddressPool("172.80.0.0/16", 24));
        assertThat(c.logOpts()).containsEntry("max-size", "10m");
        assertThat(c.registryMirrors()).containsExactly("http://127.0.0.1:5000");
        assertThat(c.debug()).isTrue();
    }

    @Test
    void defaultsAndAMissingDefaultFile(@TempDir Path dir) {
        DaemonConfig d = DaemonConfig.load(dir.resolve("absent.json"), false);
        assertThat(d.dataRoot()).isEqualTo(Path.of("/var/lib/jcompose"));
        assertThat(d.socketPath()).isEqualTo(Path.of("/run/jcompose/jcompose.sock"));
        assertThatThrownBy(() -> DaemonConfig.load(dir.resolve("absent.json"), true)).hasMessageContaining("does not exist");
    }

    @Test
    void badInputGetsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("daemon.json");
        Files.writeString(f, "{\"data-rot\": \"/x\"}");
        assertThatThrownBy(() -> DaemonConfig.load(f, true))
                .hasMessage(f + ": the following directives don't match any configuration option: data-rot");
        Files.writeString(f, "{\"hosts\": [\"tcp://0.0.0.0:2375\"]}");
        assertThatThrownBy(() -> DaemonConfig.load(f, true)).hasMessageContaining("not a loopback address");
        Files.writeString(f, "{\"hosts\": ");
        assertThatThrownBy(() -> DaemonConfig.load(f, true)).hasMessageStartingWith(f + ": invalid JSON");
        assertThatThrownBy(() -> DaemonConfig.parse("{\"dns\": \"1.1.1.1\"}", "x")).hasMessage("x: \"dns\" must be a list of strings");
        assertThat(DaemonConfig.defaults().withHosts(List.of("unix:///a")).socketPath()).isEqualTo(Path.of("/a"));
    }
}
