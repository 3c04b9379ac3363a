package io.jcompose.runtime.api.model;

/** {@code POST /auth}'s answer: {@code {"Status":"Login Succeeded","IdentityToken":""}}. */
public record AuthResponse(String status, String identityToken) {}
