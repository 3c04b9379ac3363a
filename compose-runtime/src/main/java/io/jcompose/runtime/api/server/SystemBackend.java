package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.model.SystemInfo;
import io.jcompose.runtime.api.model.SystemVersion;

/** Port: what {@code GET /version} and {@code GET /info} report (the daemon gathers it). */
public interface SystemBackend {

    /** {@code GET /version}. */
    SystemVersion version();

    /** {@code GET /info}, with current container and image counts. */
    SystemInfo info();
}
