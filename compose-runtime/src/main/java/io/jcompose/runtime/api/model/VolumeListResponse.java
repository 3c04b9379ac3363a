package io.jcompose.runtime.api.model;

import java.util.List;

/** {@code GET /volumes}. */
public record VolumeListResponse(List<Volume> volumes, List<String> warnings) {}
