package io.jcompose.runtime.container.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.container.seccomp.SeccompProfile.KernelVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The default profile and Docker-form profiles resolved per container as moby's setupSeccomp does. */
class SeccompProfileTest {

    static final List<String> DOCKER_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
            "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
            "CAP_KILL", "CAP_AUDIT_WRITE");
    static final KernelVersion KERNEL = new KernelVersion(6, 1);

    static List<JsonNode> rulesFor(JsonNode oci, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : oci.get("syscalls")) {
            for (JsonNode n : r.get("names")) {
                if (n.asString().equals(name)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static boolean allowedUnconditionally(JsonNode oci, String name) {
        return rulesFor(oci, name).stream().anyMatch(r -> r.get("action").asString().equals("SCMP_ACT_ALLOW") && !r.has("args"));
    }

    @Test
    void defaultProfileForDockersDefaultCapabilities() {
        JsonNode oci = DefaultSeccompProfile.PROFILE.forContainer(DOCKER_CAPS, "amd64", KERNEL);
        assertThat(oci.get("defaultAction").asString()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(oci.get("defaultErrnoRet").asInt()).isEqualTo(1);
        assertThat(oci.get("architectures").values().stream().map(JsonNode::asString).toList())
                .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        for (String ok : List.of("read", "write", "execve", "openat", "futex", "clock_gettime", "arch_prctl", "modify_ldt", "chroot",
                "ptrace", "io_setup", "seccomp")) {
            assertThat(allowedUnconditionally(oci, ok)).as(ok).isTrue();
        }
        for (String blocked : List.of("mount", "umount2", "unshare", "setns", "keyctl", "add_key", "request_key", "kexec_load",
                "userfaultfd", "io_uring_setup", "reboot", "init_module", "settimeofday", "clock_settime", "syslog", "bpf", "acct",
                "open_by_handle_at", "perf_event_open", "s390_runtime_instr", "cacheflush")) {
            assertThat(rulesFor(oci, blocked)).as(blocked + " falls to the default (EPERM)").isEmpty();
        }
        // clone: only without namespace flags; clone3: ENOSYS so libc falls back to clone
        List<JsonNode> clone = rulesFor(oci, "clone");
        assertThat(clone).hasSize(1);
        assertThat(clone.getFirst().get("args").get(0).get("op").asString()).isEqualTo("SCMP_CMP_MASKED_EQ");
        assertThat(clone.getFirst().get("args").get(0).get("value").asLong()).isEqualTo(0x7E020000L);
        assertThat(clone.getFirst().get("args").get(0).get("index").asInt()).isZero();
        assertThat(rulesFor(oci, "clone3")).singleElement().satisfies(r -> {
            assertThat(r.get("action").asString()).isEqualTo("SCMP_ACT_ERRNO");
            assertThat(r.get("errnoRet").asInt()).isEqualTo(38);
        });
        assertThat(rulesFor(oci, "socket")).hasSize(3);
        assertThat(rulesFor(oci, "personality")).hasSize(5);
    }

    @Test
    void capabilitiesOpenTheirCalls() {
        List<String> caps = new ArrayList<>(DOCKER_CAPS);
        caps.addAll(List.of("CAP_SYS_ADMIN", "CAP_SYS_TIME", "CAP_SYS_PTRACE"));
        JsonNode oci = DefaultSeccompProfile.PROFILE.forContainer(caps, "amd64", KERNEL);
        for (String ok : List.of("mount", "unshare", "setns", "clone", "clone3", "sethostname", "settimeofday", "kcmp")) {
            assertThat(allowedUnconditionally(oci, ok)).as(ok).isTrue();
        }
        assertThat(rulesFor(oci, "clone3")).noneMatch(r -> r.get("action").asString().equals("SCMP_ACT_ERRNO"));
        assertThat(rulesFor(oci, "keyctl")).as("no capability opens the keyring").isEmpty();
    }

    @Test
    void kernelAndArchitectureConditions() {
        JsonNode old = DefaultSeccompProfile.PROFILE.forContainer(DOCKER_CAPS, "amd64", new KernelVersion(4, 4));
        assertThat(rulesFor(old, "ptrace")).as("ptrace needs 4.8 without CAP_SYS_PTRACE").isEmpty();
        JsonNode arm = DefaultSeccompProfile.PROFILE.forContainer(DOCKER_CAPS, "arm64", KERNEL);
        assertThat(allowedUnconditionally(arm, "cacheflush")).isTrue();
        assertThat(rulesFor(arm, "arch_prctl")).isEmpty();
        assertThat(arm.get("architectures").values().stream().map(JsonNode::asString).toList())
                .containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
    }

    @Test
    void dockerFormWithIncludesExcludesAndTheOldSingleName() {
        SeccompProfile p = SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
                  {"name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                  {"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_FOWNER"]}},
                  {"names": ["chown"], "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_SYS_ADMIN", "CAP_CHOWN"], "minKernel": "5.10"}},
                  {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"}]}
                ]}""", "test.json");
        JsonNode oci = p.forContainer(List.of("CAP_CHOWN", "CAP_SYS_ADMIN"), "amd64", KERNEL);
        assertThat(rulesFor(oci, "mkdir").getFirst().get("errnoRet").asInt()).isEqualTo(13);
        assertThat(rulesFor(oci, "chmod")).hasSize(1);
        assertThat(rulesFor(oci, "chown")).hasSize(1);
        assertThat(rulesFor(oci, "kill").getFirst().get("args").get(0).get("value").asLong()).isEqualTo(9);
        assertThat(oci.get("architectures").get(0).asString()).isEqualTo("SCMP_ARCH_X86_64");
        JsonNode fewer = p.forContainer(List.of("CAP_CHOWN", "CAP_FOWNER"), "amd64", new KernelVersion(5, 4));
        assertThat(rulesFor(fewer, "chmod")).as("excluded by CAP_FOWNER").isEmpty();
        assertThat(rulesFor(fewer, "chown")).as("needs both caps and 5.10").isEmpty();
    }

    @Test
    void badProfilesSayWhatIsWrong() {
        assertThatThrownBy(() -> SeccompProfile.parse("{", "p.json")).hasMessageStartingWith("seccomp profile p.json is not valid JSON");
        assertThatThrownBy(() -> SeccompProfile.parse("{\"syscalls\": []}", "p.json")).hasMessage("seccomp profile p.json has no defaultAction");
        assertThatThrownBy(() -> SeccompProfile.parse(
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
                "p.json")).hasMessageContaining("both 'name' and 'names'");
        assertThatThrownBy(() -> SeccompProfile.parse(
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
                "p.json")).hasMessageContaining("both 'architectures' and 'archMap'");
    }
}
