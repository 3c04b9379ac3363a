package io.jcompose.runtime.api.model;

/** {@code POST /networks/{id}/connect}. */
public record NetworkConnectRequest(String container, EndpointSettings endpointConfig) {}
