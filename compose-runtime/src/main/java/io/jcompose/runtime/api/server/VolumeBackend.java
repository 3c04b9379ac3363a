package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import java.util.List;

/**
 * Port: named volumes. Errors are {@link io.jcompose.runtime.api.EngineApiException}s with
 * Docker's statuses (404 {@code get x: no such volume}, 409 in use, 400 bad name or filter).
 */
public interface VolumeBackend {

    /** Creates a volume, or returns the existing one of that name (Docker's create is idempotent). */
    Volume create(VolumeCreateRequest request);

    /** Volumes matching {@code label}, {@code name}, {@code dangling}, {@code driver}. */
    List<Volume> list(Filters filters);

    /** One volume; 404 if unknown. */
    Volume inspect(String name);

    /** Removes a volume; 409 if a container uses it; with {@code force} an unknown name is no error. */
    void remove(String name, boolean force);

    /**
     * Removes unused volumes: anonymous ones only unless the filter {@code all=true} is given (API
     * ≥ 1.42), restricted by {@code label}/{@code label!}.
     */
    PruneReport prune(Filters filters);
}
