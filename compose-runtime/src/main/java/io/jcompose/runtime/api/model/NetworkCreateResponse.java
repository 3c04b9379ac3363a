package io.jcompose.runtime.api.model;

/** {@code POST /networks/create} → 201. */
public record NetworkCreateResponse(String id, String warning) {}
