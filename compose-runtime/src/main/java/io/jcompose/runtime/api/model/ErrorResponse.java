package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Every error body: {@code {"message": "..."}}. */
public record ErrorResponse(@JsonProperty("message") String message) {}
