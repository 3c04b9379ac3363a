package io.jcompose.runtime.api.model;

import java.util.List;

/** {@code POST /exec/{id}/start}. */
public record ExecStartRequest(Boolean detach, Boolean tty, List<Integer> consoleSize) {}
