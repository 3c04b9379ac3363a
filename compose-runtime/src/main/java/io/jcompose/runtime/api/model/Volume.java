package io.jcompose.runtime.api.model;

import java.util.Map;

/** A volume as {@code GET /volumes/{name}} and the list show it. */
public record Volume(
        String name,
        String driver,
        String mountpoint,
        String createdAt,
        Map<String, String> labels,
        String scope,
        Map<String, String> options) {}
