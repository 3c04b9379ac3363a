package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.ArchiveStat;
import io.jcompose.runtime.api.model.ContainerCreateRequest;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.ContainerStats;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ContainerTop;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import io.jcompose.runtime.api.model.ExecStartRequest;
import io.jcompose.runtime.api.model.IdResponse;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.WaitResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Port: the container engine as the API needs it. {@code id} arguments accept a full ID, a unique
 * prefix or a name. Errors are {@link io.jcompose.runtime.api.EngineApiException}s: 404
 * {@code No such container: <x>} / {@code No such exec instance: <id>}, 409 (name in use, running,
 * not running), 304 (start a running / stop a stopped container), 400.
 */
public interface ContainerBackend {

    /** Object counts for {@code /info}. */
    record Counts(int total, int running, int paused, int stopped) {}

    /** {@code GET /containers/json} options. */
    record ListOptions(boolean all, int limit, boolean size, Filters filters) {}

    /** {@code GET /containers/{id}/logs} options; {@code since}/{@code until} in epoch nanoseconds (0: unset), {@code tail} -1 = all. */
    record LogsOptions(boolean stdout, boolean stderr, boolean follow, long since, long until, boolean timestamps, int tail, boolean details) {}

    /** {@code POST /containers/{id}/attach} options. */
    record AttachOptions(boolean stream, boolean stdin, boolean stdout, boolean stderr, boolean logs, String detachKeys) {}

    IdResponse create(ContainerCreateRequest request);

    List<ContainerSummary> list(ListOptions options);

    ContainerInspect inspect(String id, boolean size);

    void start(String id);

    /** @param timeoutSeconds null: the container's StopTimeout (default 10) */
    void stop(String id, Integer timeoutSeconds, String signal);

    void restart(String id, Integer timeoutSeconds, String signal);

    /** 409 if not running. */
    void kill(String id, String signal);

    /** 409 if running and not {@code force}; {@code volumes} also removes anonymous volumes. */
    void remove(String id, boolean force, boolean volumes, boolean link);

    /**
     * Resolves the container now (404 before any header is written), then completes when the
     * condition ({@code not-running}, {@code next-exit}, {@code removed}) holds.
     */
    CompletableFuture<WaitResponse> waitFor(String id, String condition);

    void rename(String id, String newName);

    void pause(String id);

    void unpause(String id);

    void resize(String id, int height, int width);

    ContainerTop top(String id, String psArgs);

    /** Resolves the container (404 early) and returns its log writer. */
    ContainerOutput.OneWay logs(String id, LogsOptions options);

    /** Resolves the container (404 early) and returns the attach session. */
    ContainerOutput.Duplex attach(String id, AttachOptions options);

    /** One stats sample (the route samples once a second when streaming). */
    ContainerStats stats(String id);

    PruneReport prune(Filters filters);

    /** 409 if the container is not running. */
    IdResponse execCreate(String containerId, ExecCreateRequest request);

    /** The exec's session; its {@code ExitCode} must be recorded before the session returns. */
    ContainerOutput.Duplex execStart(String execId, ExecStartRequest request);

    /** Starts a detached exec ({@code Detach: true}). */
    void execStartDetached(String execId, ExecStartRequest request);

    void execResize(String execId, int height, int width);

    ExecInspect execInspect(String execId);

    /** {@code HEAD/GET /archive}: stat of {@code path} in the container; 404 if missing. */
    ArchiveStat archiveStat(String id, String path);

    /** Writes a tar of {@code path}. */
    void archiveGet(String id, String path, OutputStream tar) throws Exception;

    /** Extracts a tar into directory {@code path}. */
    void archivePut(String id, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) throws Exception;

    /** Counts for {@code /info}. */
    Counts counts();

    /** IDs of containers that mount the named volume (volume removal answers 409 for those). */
    List<String> containersUsingVolume(String volumeName);
}
