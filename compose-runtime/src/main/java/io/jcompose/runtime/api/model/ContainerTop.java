package io.jcompose.runtime.api.model;

import java.util.List;

/** {@code GET /containers/{id}/top}. */
public record ContainerTop(List<String> titles, List<List<String>> processes) {}
