package io.jcompose.testing;

import io.jcompose.cli.command.LogsCommand;
import io.jcompose.cli.command.PortCommand;
import io.jcompose.cli.command.ServiceContainers;
import io.jcompose.planner.engine.ComposeNames;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.planner.reconcile.Reconciler;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.HijackedStream;
import io.jcompose.runtime.api.client.StreamFrames;
import io.jcompose.runtime.api.model.ContainerInspect;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.EndpointSettings;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container of a service in a {@link ComposeStack}: where to reach it ({@link #host()} and
 * {@link #port(int)} for published ports, {@link #ip()} for its address on the project network,
 * which the host reaches on Linux without publishing anything), its output, commands in it, and
 * stop/start. Every call asks the engine afresh, so a handle stays right across restarts.
 */
public final class ServiceHandle {
    /** The address published ports are reached on from this host. */
    static final String LOOPBACK = "127.0.0.1";

    private final ComposeStack stack;
    private final String service;
    private final int index;

    ServiceHandle(ComposeStack stack, String service, int index) {
        this.stack = stack;
        this.service = service;
        this.index = index;
    }

    /** The service name. */
    public String service() {
        return service;
    }

    /** The replica number (from 1). */
    public int index() {
        return index;
    }

    /** The container's name ({@code <project>-<service>-<n>} unless {@code container_name} says otherwise). */
    public String containerName() {
        ContainerSummary c = container();
        return c.names() == null || c.names().isEmpty() ? c.id() : c.names().getFirst().replaceFirst("^/", "");
    }

    /** The host published ports are reached on ({@value #LOOPBACK}). */
    public String host() {
        return LOOPBACK;
    }

    /**
     * The host port a container port is published on ({@code jcompose port SERVICE PORT}).
     *
     * @param containerPort the container's TCP port
     * @return the published port on {@link #host()}
     * @throws IllegalArgumentException when that port is not published
     */
    public int port(int containerPort) {
        String published = stack.publishedViaCliServer(service, index, containerPort)
                .orElseGet(() -> PortCommand.published(running(), Integer.toString(containerPort), "tcp"));
        return Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
    }

    /**
     * The container's IPv4 address on the project network (the project's {@code default} network
     * when it joined that one, else the first with an address).
     *
     * @throws IllegalStateException when it has no address (e.g. {@code network_mode: host})
     */
    public String ip() {
        ContainerInspect i = stack.client().inspectContainer(running().id());
        Map<String, EndpointSettings> networks = i.networkSettings() == null || i.networkSettings().networks() == null
                ? Map.of() : i.networkSettings().networks();
        String preferred = ComposeNames.network(stack.project(), "default");
        EndpointSettings e = networks.get(preferred);
        if (e != null && e.ipAddress() != null && !e.ipAddress().isEmpty()) {
            return e.ipAddress();
        }
        return networks.values().stream().map(EndpointSettings::ipAddress).filter(a -> a != null && !a.isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException("container " + containerName() + " has no IP address on a network"));
    }

    /** Everything the container wrote so far, stdout and stderr interleaved, one line per line. */
    public String logs() {
        List<String> lines = logLines(stack.client(), container().id(), "all");
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /**
     * Runs a command in the running container ({@code jcompose exec -T}) and waits for it.
     *
     * @param command the command and its arguments
     * @return exit code and output
     */
    public ExecResult exec(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        EngineClient client = stack.client();
        String id = client.createExec(running().id(),
                new ExecCreateRequest(false, true, true, null, false, List.of(), List.of(command), false, null, null, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (HijackedStream stream = client.startExec(id, false)) {
            StreamFrames frames = new StreamFrames(stream.output());
            for (StreamFrames.Frame f = frames.next(); f != null; f = frames.next()) {
                (f.stream() == 2 ? err : out).write(f.payload());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("exec in " + containerName() + ": " + e.getMessage(), e);
        }
        ExecInspect done = client.inspectExec(id);
        return new ExecResult(done.exitCode() == null ? -1 : done.exitCode(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Stops the container ({@code jcompose stop}, with the stack's stop timeout). */
    public void stop() {
        var plan = Planner.stop(stack.project(), ObservedState.observe(stack.engine(), stack.projectName()), List.of(service),
                stack.stopTimeoutSeconds());
        new Reconciler(stack.engine(), e -> {}, ReconcileOptions.defaults()).stop(plan);
    }

    /** Starts the stopped container again ({@code jcompose start}); does not wait for readiness. */
    public void start() {
        ContainerSummary c = container();
        if (!"running".equals(c.state())) {
            stack.client().startContainer(c.id());
        }
    }

    EngineClient client() {
        return stack.client();
    }

    /** The container, running or not. */
    private ContainerSummary container() {
        return ServiceContainers.of(stack.client(), stack.projectName(), List.of(service), true).stream()
                .filter(c -> ServiceContainers.number(c) == index).findFirst()
                .orElseThrow(() -> new IllegalStateException("service \"" + service + "\" has no container #" + index));
    }

    /** The running container, failing with compose's words when it is not running. */
    private ContainerSummary running() {
        return ServiceContainers.pick(stack.client(), stack.projectName(), service, index);
    }

    /** The last {@code n} lines a container wrote, empty when they cannot be read (it is gone). */
    static List<String> lastLogLines(EngineClient client, String containerId, int n) {
        try {
            return logLines(client, containerId, Integer.toString(n));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> logLines(EngineClient client, String containerId, String tail) {
        boolean tty = Boolean.TRUE.equals(client.inspectContainer(containerId).config().tty());
        List<String> lines = new ArrayList<>();
        try (InputStream in = client.logs(containerId, false, false, tail)) {
            LogsCommand.copyLines(in, tty, lines::add);
        } catch (IOException e) {
            throw new UncheckedIOException("logs of " + containerId + ": " + e.getMessage(), e);
        }
        return lines;
    }

    @Override
    public String toString() {
        return "service " + service + " #" + index + " of " + stack.projectName();
    }
}
