package io.jcompose.runtime.api.model;

/** {@code POST /containers/{id}/wait}: exit status; {@code Error} only when waiting failed. */
public record WaitResponse(long statusCode, WaitError error) {

    public record WaitError(String message) {}
}
