package io.jcompose.runtime.api.model;

import java.util.List;

/** {@code POST /containers/{id}/exec}. */
public record ExecCreateRequest(
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        String detachKeys,
        Boolean tty,
        List<String> env,
        List<String> cmd,
        Boolean privileged,
        String user,
        String workingDir,
        List<Integer> consoleSize) {}
