package io.jcompose.runtime.api.model;

/** {@code POST /networks/{id}/disconnect}. */
public record NetworkDisconnectRequest(String container, Boolean force) {}
