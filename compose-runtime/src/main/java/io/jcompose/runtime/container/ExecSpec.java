package io.jcompose.runtime.container;

import java.util.List;

/**
 * A process to run in a running container ({@code docker exec}).
 *
 * @param cmd        argv (required)
 * @param env        extra env on top of the container's ({@code KEY=VALUE})
 * @param user       user as for the container; null = the container's
 * @param workingDir null = the container's
 * @param tty        allocate a pty in the container and relay it to the returned process's stdio
 * @param privileged all capabilities
 */
public record ExecSpec(List<String> cmd, List<String> env, String user, String workingDir, boolean tty, boolean privileged) {
    public ExecSpec {
        if (cmd == null || cmd.isEmpty()) throw new IllegalArgumentException("No exec command specified");
        cmd = List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
    }

    public static ExecSpec of(String... cmd) {
        return new ExecSpec(List.of(cmd), null, null, null, false, false);
    }
}
