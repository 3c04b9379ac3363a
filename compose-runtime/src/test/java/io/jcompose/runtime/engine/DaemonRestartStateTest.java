package io.jcompose.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a restarted daemon still knows, as Docker keeps it in its checkpointed container state:
 * the health (status, failing streak, log) of running and stopped containers, and the restart
 * policies with their decisions on daemon start (RUNTIME-FACTS §4, §6).
 */
@Tag("root")
@Tag("registry")
class DaemonRestartStateTest {

    @RegisterExtension
    static final PrivateDaemon d = new PrivateDaemon("restart-state");


    private String inspect(String format, String name) throws Exception {
        return d.docker("inspect", "--format", format, name).ok().out().strip();
    }

    @Test
    void healthStatusStreakAndLogSurviveADaemonRestart() throws Exception {
        d.docker("run", "-d", "--name", "sick", "--health-cmd", "echo probed; exit 1", "--health-interval", "1s", "--health-retries", "2",
                "busybox", "sleep", "600").ok();
        d.docker("run", "-d", "--name", "ended", "--health-cmd", "true", "--health-interval", "300ms", "busybox", "sleep", "600").ok();
        for (int i = 0; i < 200 && Integer.parseInt(inspect("{{.State.Health.FailingStreak}}", "sick")) < 3; i++) {
            Thread.sleep(100);
        }
        d.awaitOutput("healthy", "inspect", "--format", "{{.State.Health.Status}}", "ended");
        d.docker("stop", "-t", "1", "ended").ok();
        String endedBefore = inspect("{{json .State.Health}}", "ended");
        assertThat(endedBefore).contains("\"Status\":\"unhealthy\"");
        int streakBefore = Integer.parseInt(inspect("{{.State.Health.FailingStreak}}", "sick"));
        assertThat(streakBefore).isGreaterThanOrEqualTo(3);
        String firstProbe = inspect("{{(index .State.Health.Log 0).Start}}", "sick");

        d.restart();

        // at once (the next probe is a second away): what the old daemon knew, not a fresh "starting" with streak 0
        assertThat(inspect("{{.State.Health.Status}}", "sick")).isEqualTo("unhealthy");
        assertThat(Integer.parseInt(inspect("{{.State.Health.FailingStreak}}", "sick"))).isGreaterThanOrEqualTo(streakBefore);
        String log = inspect("{{range .State.Health.Log}}{{.Start}} {{.ExitCode}} {{.Output}}|{{end}}", "sick");
        assertThat(log).contains(firstProbe + " 1 probed");
        assertThat(inspect("{{json .State.Health}}", "ended")).as("a stopped container's health").isEqualTo(endedBefore);

        // and monitoring goes on from there: the streak keeps growing
        int streakAfter = streakBefore;
        for (int i = 0; i < 100 && streakAfter <= streakBefore + 1; i++) {
            Thread.sleep(100);
            streakAfter = Integer.parseInt(inspect("{{.State.Health.FailingStreak}}", "sick"));
        }
        assertThat(streakAfter).isGreaterThan(streakBefore + 1);
    }

    @Test
    void restartPoliciesSurviveADaemonRestartAndDecideOnItsStart() throws Exception {
        d.docker("run", "-d", "--name", "always-stopped", "--restart", "always", "busybox", "sleep", "600").ok();
        d.docker("run", "-d", "--name", "unless-stopped-stopped", "--restart", "unless-stopped", "busybox", "sleep", "600").ok();
        d.docker("run", "-d", "--name", "retries", "--restart", "on-failure:3", "busybox", "sleep", "600").ok();
        d.docker("stop", "-t", "1", "always-stopped", "unless-stopped-stopped").ok();

        d.restart();

        assertThat(inspect("{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", "retries"))
                .isEqualTo("on-failure 3");
        // Docker: always restarts a manually stopped container when the daemon starts, unless-stopped does not
        d.awaitOutput("running", "inspect", "--format", "{{.State.Status}}", "always-stopped");
        assertThat(inspect("{{.State.Status}}", "unless-stopped-stopped")).isEqualTo("exited");
        // the policy still applies to the running container found by the new daemon
        long pid = Long.parseLong(inspect("{{.State.Pid}}", "retries"));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // killed from outside, not by the API: a failure (137)
        d.awaitOutput("1 running", "inspect", "--format", "{{.RestartCount}} {{.State.Status}}", "retries");
    }
}
