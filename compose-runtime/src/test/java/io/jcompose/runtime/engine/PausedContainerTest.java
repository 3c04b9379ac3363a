package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stop, kill and {@code rm -f} of a paused container end it as Docker does: the stop signal or
 * SIGKILL is sent, then the container is thawed so the signal is delivered (moby's
 * {@code killWithSignal}; on cgroup v1 a frozen task does not even die of SIGKILL). Other signals
 * stay pending and the container stays paused. Through Docker's own CLI against a private daemon.
 */
@Tag("root")
@Tag("registry")
class PausedContainerTest {

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("paused");


    private void runPaused(String name, String... cmd) throws Exception {
        String[] args = new String[4 + cmd.length];
        args[0] = "run";
        args[1] = "-d";
        args[2] = "--name=" + name;
        args[3] = "busybox";
        System.arraycopy(cmd, 0, args, 4, cmd.length);
        d.docker(args).ok();
        d.docker("pause", name).ok();
        assertThat(d.docker("inspect", "--format", "{{.State.Status}}", name).ok().out().strip()).isEqualTo("paused");
    }

    @Test
    void stopOfAPausedContainerDeliversTheStopSignal() throws Exception {
        runPaused("ps1", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done");
        // generous: the point is that it returns, and with the trap's exit code rather than SIGKILL's
        d.docker(30, "stop", "ps1").ok();
        assertThat(d.docker("inspect", "--format", "{{.State.Status}} {{.State.Paused}} {{.State.ExitCode}}", "ps1").ok().out().strip())
                .isEqualTo("exited false 0");
    }

    @Test
    void stopOfAPausedContainerThatIgnoresTheSignalEndsWithSigkill() throws Exception {
        runPaused("ps2", "sleep", "600");
        d.docker(30, "stop", "-t", "1", "ps2").ok();
        assertThat(d.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "ps2").ok().out().strip()).isEqualTo("exited 137");
    }

    @Test
    void killOfAPausedContainerKillsIt() throws Exception {
        runPaused("pk1", "sleep", "600");
        d.docker(30, "kill", "pk1").ok();
        assertThat(d.docker(30, "wait", "pk1").ok().out().strip()).isEqualTo("137");
        assertThat(d.docker("inspect", "--format", "{{.State.Status}} {{.State.Paused}}", "pk1").ok().out().strip()).isEqualTo("exited false");
    }

    @Test
    void anotherSignalStaysPendingAndTheContainerStaysPaused() throws Exception {
        runPaused("pk2", "sh", "-c", "trap 'exit 5' USR1; while true; do sleep 0.1; done");
        d.docker("kill", "-s", "USR1", "pk2").ok();
        Thread.sleep(500);
        assertThat(d.docker("inspect", "--format", "{{.State.Status}}", "pk2").ok().out().strip()).isEqualTo("paused");
        d.docker("unpause", "pk2").ok();
        assertThat(d.docker(30, "wait", "pk2").ok().out().strip()).as("the pending USR1 is delivered on unpause").isEqualTo("5");
    }

    @Test
    void forcedRemoveOfAPausedContainerRemovesIt() throws Exception {
        String since = Long.toString(java.time.Instant.now().getEpochSecond() - 1);
        runPaused("pr1", "sleep", "600");
        assertThat(d.docker("rm", "pr1").exit()).as("rm without -f refuses a paused container").isNotZero();
        d.docker(30, "rm", "-f", "pr1").ok();
        assertThat(d.docker("ps", "-aq", "--filter", "name=pr1").ok().out()).isBlank();
        String until = Long.toString(java.time.Instant.now().getEpochSecond() + 1);
        String actions = d.docker("events", "--since", since, "--until", until, "--filter", "container=pr1", "--format", "{{.Action}}")
                .ok().out();
        assertThat(actions.lines().toList()).as("Docker's events of rm -f").containsSubsequence("kill", "die", "destroy");
    }
}
