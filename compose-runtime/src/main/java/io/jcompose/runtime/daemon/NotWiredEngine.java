package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.EngineApiException;
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
import io.jcompose.runtime.api.model.ImageDeleteItem;
import io.jcompose.runtime.api.model.ImageInspect;
import io.jcompose.runtime.api.model.ImageSummary;
import io.jcompose.runtime.api.model.NetworkConnectRequest;
import io.jcompose.runtime.api.model.NetworkCreateRequest;
import io.jcompose.runtime.api.model.NetworkCreateResponse;
import io.jcompose.runtime.api.model.NetworkDisconnectRequest;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.ProgressMessage;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.WaitResponse;
import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.api.server.ContainerOutput;
import io.jcompose.runtime.api.server.ImageBackend;
import io.jcompose.runtime.api.server.NetworkBackend;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the daemon serves until the container, image and network services are wired in: an engine
 * that truly holds nothing. Lists are empty and lookups answer Docker's 404 (so {@code docker ps}
 * and {@code docker inspect} behave), everything that would create or run something answers
 * 501 saying so.
 */
final class NotWiredEngine implements ContainerBackend, ImageBackend, NetworkBackend {

    static final EngineServices.Factory FACTORY = (config, store, events, volumes) -> {
        NotWiredEngine e = new NotWiredEngine();
        return new EngineServices(e, e, e);
    };

    private static EngineApiException missing(String what) {
        return EngineApiException.notImplemented(what + " are not available: this jcomposed has no " + what + " service wired in yet");
    }

    private static EngineApiException noContainer(String id) {
        return EngineApiException.notFound("No such container: " + id);
    }

    // containers
    @Override public IdResponse create(ContainerCreateRequest request) { throw missing("containers"); }
    @Override public List<ContainerSummary> list(ListOptions options) { return List.of(); }
    @Override public ContainerInspect inspect(String id, boolean size) { throw noContainer(id); }
    @Override public void start(String id) { throw noContainer(id); }
    @Override public void stop(String id, Integer t, String signal) { throw noContainer(id); }
    @Override public void restart(String id, Integer t, String signal) { throw noContainer(id); }
    @Override public void kill(String id, String signal) { throw noContainer(id); }
    @Override public void remove(String id, boolean force, boolean volumes, boolean link) { throw noContainer(id); }
    @Override public CompletableFuture<WaitResponse> waitFor(String id, String condition) { throw noContainer(id); }
    @Override public void rename(String id, String newName) { throw noContainer(id); }
    @Override public void pause(String id) { throw noContainer(id); }
    @Override public void unpause(String id) { throw noContainer(id); }
    @Override public void resize(String id, int h, int w) { throw noContainer(id); }
    @Override public ContainerTop top(String id, String psArgs) { throw noContainer(id); }
    @Override public ContainerOutput.OneWay logs(String id, LogsOptions options) { throw noContainer(id); }
    @Override public ContainerOutput.Duplex attach(String id, AttachOptions options) { throw noContainer(id); }
    @Override public ContainerStats stats(String id) { throw noContainer(id); }
    @Override public PruneReport prune(Filters filters) { throw missing("containers"); }
    @Override public IdResponse execCreate(String containerId, ExecCreateRequest request) { throw noContainer(containerId); }
    @Override public ContainerOutput.Duplex execStart(String execId, ExecStartRequest request) { throw noExec(execId); }
    @Override public void execStartDetached(String execId, ExecStartRequest request) { throw noExec(execId); }
    @Override public void execResize(String execId, int h, int w) { throw noExec(execId); }
    @Override public ExecInspect execInspect(String execId) { throw noExec(execId); }
    @Override public ArchiveStat archiveStat(String id, String path) { throw noContainer(id); }
    @Override public void archiveGet(String id, String path, OutputStream tar) { throw noContainer(id); }
    @Override public void archivePut(String id, String path, InputStream tar, boolean a, boolean b) { throw noContainer(id); }
    @Override public Counts counts() { return new Counts(0, 0, 0, 0); }
    @Override public List<String> containersUsingVolume(String volumeName) { return List.of(); }

    private static EngineApiException noExec(String id) {
        return EngineApiException.notFound("No such exec instance: " + id);
    }

    // images
    @Override public void pull(String fromImage, String tag, String platform, String auth, Consumer<ProgressMessage> progress) { throw missing("images"); }
    @Override public void push(String name, String tag, String auth, Consumer<ProgressMessage> progress) { throw missing("images"); }
    @Override public List<ImageSummary> list(boolean all, Filters filters) { return List.of(); }
    @Override public ImageInspect inspect(String name) { throw EngineApiException.notFound("No such image: " + name); }
    @Override public void tag(String name, String repo, String tag) { throw EngineApiException.notFound("No such image: " + name); }
    @Override public List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune) { throw EngineApiException.notFound("No such image: " + name); }
    @Override public int count() { return 0; }

    // networks
    @Override public NetworkCreateResponse create(NetworkCreateRequest request) { throw missing("networks"); }
    @Override public List<NetworkResource> list(Filters filters) { return List.of(); }
    @Override public NetworkResource inspect(String id, boolean verbose, String scope) { throw EngineApiException.notFound("network " + id + " not found"); }
    @Override public void remove(String id) { throw EngineApiException.notFound("network " + id + " not found"); }
    @Override public void connect(String id, NetworkConnectRequest request) { throw EngineApiException.notFound("network " + id + " not found"); }
    @Override public void disconnect(String id, NetworkDisconnectRequest request) { throw EngineApiException.notFound("network " + id + " not found"); }
}
