package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's default seccomp profile through the API, with Docker's CLI: a call the profile refuses
 * fails with EPERM inside the container and in its execs; {@code seccomp=unconfined} or the
 * capability the profile asks for lets it through; a profile file of the user's applies instead.
 */
@Tag("root")
@Tag("registry")
class SeccompTest {

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("seccomp");

    @BeforeAll
    static void needsUserNamespaces() {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/ns/user")), "the kernel has no user namespaces (the probe call)");
    }

    // a new user namespace needs no capability: only seccomp stands in the way (Docker allows unshare with CAP_SYS_ADMIN only)
    static final String PROBE = "unshare -U true && echo allowed";

    @Test
    void theDefaultProfileRefusesUnshareWithEperm() throws Exception {
        PrivateDaemon.Run r = d.docker("run", "--rm", "busybox", "sh", "-c", PROBE);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Operation not permitted");
        assertThat(d.docker("run", "--rm", "busybox", "sh", "-c", "echo ordinary work; ls / >/dev/null").ok().out()).isEqualTo("ordinary work\n");
    }

    @Test
    void unconfinedOrTheCapabilityLetItThrough() throws Exception {
        assertThat(d.docker("run", "--rm", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c", PROBE).ok().out())
                .isEqualTo("allowed\n");
        assertThat(d.docker("run", "--rm", "--cap-add", "SYS_ADMIN", "busybox", "sh", "-c", PROBE + "; mkdir /m && mount -t tmpfs none /m && echo mounted")
                .ok().out()).isEqualTo("allowed\nmounted\n");
        assertThat(d.docker("run", "--rm", "--privileged", "busybox", "sh", "-c", PROBE).ok().out()).isEqualTo("allowed\n");
    }

    @Test
    void execsRunUnderTheContainersProfile() throws Exception {
        d.docker("run", "-d", "--name", "filtered", "busybox", "sleep", "600").ok();
        d.docker("run", "-d", "--name", "free", "--security-opt", "seccomp=unconfined", "busybox", "sleep", "600").ok();
        PrivateDaemon.Run r = d.docker("exec", "filtered", "sh", "-c", PROBE);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Operation not permitted");
        assertThat(d.docker("exec", "free", "sh", "-c", PROBE).ok().out()).isEqualTo("allowed\n");
        d.docker("rm", "-f", "filtered", "free").ok();
    }

    @Test
    void aProfileFileOfTheUsersApplies(@TempDir Path tmp) throws Exception {
        Path profile = Files.writeString(tmp.resolve("no-mkdir.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}
                ]}""");
        PrivateDaemon.Run r = d.docker("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "sh", "-c",
                "mkdir /x; unshare -U true && echo userns allowed");
        assertThat(r.err()).contains("Permission denied");
        assertThat(r.out()).isEqualTo("userns allowed\n");
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"syscalls\": []}");
        PrivateDaemon.Run refused = d.docker("run", "--rm", "--security-opt", "seccomp=" + bad, "busybox", "true");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("has no defaultAction");
    }
}
