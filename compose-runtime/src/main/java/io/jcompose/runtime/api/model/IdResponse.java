package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code {"Id": ..., "Warnings": [...]}}: container create (201) and exec create (201, no warnings). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdResponse(String id, List<String> warnings) {}
