package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.*;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Test base: every method fails until a test overrides the ones it needs. */
class UnsupportedContainerBackend implements ContainerBackend {
    @Override
    public IdResponse create(ContainerCreateRequest request) {
        throw new UnsupportedOperationException("create");
    }

    @Override
    public List<ContainerSummary> list(ListOptions options) {
        throw new UnsupportedOperationException("list");
    }

    @Override
    public ContainerInspect inspect(String id, boolean size) {
        throw new UnsupportedOperationException("inspect");
    }

    @Override
    public void start(String id) {
        throw new UnsupportedOperationException("start");
    }

    @Override
    public void stop(String id, Integer timeoutSeconds, String signal) {
        throw new UnsupportedOperationException("stop");
    }

    @Override
    public void restart(String id, Integer timeoutSeconds, String signal) {
        throw new UnsupportedOperationException("restart");
    }

    @Override
    public void kill(String id, String signal) {
        throw new UnsupportedOperationException("kill");
    }

    @Override
    public void remove(String id, boolean force, boolean volumes, boolean link) {
        throw new UnsupportedOperationException("remove");
    }

    @Override
    public CompletableFuture<WaitResponse> waitFor(String id, String condition) {
        throw new UnsupportedOperationException("waitFor");
    }

    @Override
    public void rename(String id, String newName) {
        throw new UnsupportedOperationException("rename");
    }

    @Override
    public void pause(String id) {
        throw new UnsupportedOperationException("pause");
    }

    @Override
    public void unpause(String id) {
        throw new UnsupportedOperationException("unpause");
    }

    @Override
    public void resize(String id, int height, int width) {
        throw new UnsupportedOperationException("resize");
    }

    @Override
    public ContainerTop top(String id, String psArgs) {
        throw new UnsupportedOperationException("top");
    }

    @Override
    public ContainerOutput.OneWay logs(String id, LogsOptions options) {
        throw new UnsupportedOperationException("logs");
    }

    @Override
    public ContainerOutput.Duplex attach(String id, AttachOptions options) {
        throw new UnsupportedOperationException("attach");
    }

    @Override
    public ContainerStats stats(String id) {
        throw new UnsupportedOperationException("stats");
    }

    @Override
    public PruneReport prune(Filters filters) {
        throw new UnsupportedOperationException("prune");
    }

    @Override
    public IdResponse execCreate(String containerId, ExecCreateRequest request) {
        throw new UnsupportedOperationException("execCreate");
    }

    @Override
    public ContainerOutput.Duplex execStart(String execId, ExecStartRequest request) {
        throw new UnsupportedOperationException("execStart");
    }

    @Override
    public void execStartDetached(String execId, ExecStartRequest request) {
        throw new UnsupportedOperationException("execStartDetached");
    }

    @Override
    public void execResize(String execId, int height, int width) {
        throw new UnsupportedOperationException("execResize");
    }

    @Override
    public ExecInspect execInspect(String execId) {
        throw new UnsupportedOperationException("execInspect");
    }

    @Override
    public ArchiveStat archiveStat(String id, String path) {
        throw new UnsupportedOperationException("archiveStat");
    }

    @Override
    public void archiveGet(String id, String path, OutputStream tar) throws Exception {
        throw new UnsupportedOperationException("archiveGet");
    }

    @Override
    public void archivePut(String id, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) throws Exception {
        throw new UnsupportedOperationException("archivePut");
    }

    @Override
    public Counts counts() {
        throw new UnsupportedOperationException("counts");
    }

    @Override
    public List<String> containersUsingVolume(String volumeName) {
        throw new UnsupportedOperationException("containersUsingVolume");
    }
}
