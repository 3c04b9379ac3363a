package io.jcompose.runtime.engine;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.model.ExecCreateRequest;
import io.jcompose.runtime.api.model.ExecInspect;
import io.jcompose.runtime.api.server.ContainerOutput;
import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerException;
import io.jcompose.runtime.container.ExecProcess;
import io.jcompose.runtime.container.ExecSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exec instances ({@code docker exec}): kept in memory as Docker keeps them; started through the
 * container engine, their output relayed in Docker's frames (raw with a tty), the exit code
 * recorded before the session ends (clients inspect right after EOF).
 */
final class Execs {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerEngine engine;
    private final Containers containers;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();

    private static final class Exec {
        final String id;
        final String containerId;
        final ExecCreateRequest request;
        volatile ExecProcess process;
        volatile Integer exitCode;
        volatile boolean running;

        Exec(String id, String containerId, ExecCreateRequest request) {
            this.id = id;
            this.containerId = containerId;
            this.request = request;
        }
    }

    Execs(ContainerEngine engine, Containers containers) {
        this.engine = engine;
        this.containers = containers;
    }

    String create(String containerId, ExecCreateRequest request) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        execs.put(id, new Exec(id, containerId, request));
        containers.execEvent(containerId, "exec_create: " + String.join(" ", request.cmd()), Map.of("execID", id));
        return id;
    }

    private Exec require(String id) {
        Exec e = execs.get(id);
        if (e == null) {
            throw EngineApiException.notFound("No such exec instance: " + id);
        }
        return e;
    }

    private ExecProcess launch(Exec e) {
        if (e.process != null) {
            throw EngineApiException.conflict("Error: Exec command " + e.id + " has already run");
        }
        ExecCreateRequest r = e.request;
        try {
            ExecProcess p = engine.exec(e.containerId, new ExecSpec(r.cmd(), r.env(), r.user() == null || r.user().isEmpty() ? null : r.user(),
                    r.workingDir() == null || r.workingDir().isEmpty() ? null : r.workingDir(), Boolean.TRUE.equals(r.tty()),
                    Boolean.TRUE.equals(r.privileged())));
            e.process = p;
            e.running = true;
            containers.execEvent(e.containerId, "exec_start: " + String.join(" ", r.cmd()), Map.of("execID", e.id));
            return p;
        } catch (ContainerException ex) {
            throw EngineApiException.conflict(ex.getMessage());
        } catch (IOException ex) {
            throw new EngineApiException(500, "exec in container " + e.containerId.substring(0, 12) + ": " + ex.getMessage());
        }
    }

    ContainerOutput.Duplex start(String id) {
        Exec e = require(id);
        boolean tty = Boolean.TRUE.equals(e.request.tty());
        ExecProcess p = launch(e);
        return new ContainerOutput.Duplex(tty, (stdin, out) -> {
            Process proc = p.process();
            Thread in = Thread.ofVirtual().start(() -> {
                try (OutputStream to = proc.getOutputStream()) {
                    if (Boolean.TRUE.equals(e.request.attachStdin())) {
                        stdin.transferTo(to);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            Object writeLock = new Object();
            Thread err = Thread.ofVirtual().start(() -> relay(proc.getErrorStream(), out, tty, 2, writeLock));
            relay(proc.getInputStream(), out, tty, 1, writeLock);
            err.join();
            finish(e, proc.waitFor());
            in.interrupt();
        });
    }

    private static void relay(InputStream from, OutputStream out, boolean tty, int stream, Object writeLock) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = from.read(buf)) > 0) {
                synchronized (writeLock) {
                    Containers.writeFrame(out, tty, stream, buf, n);
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // the client left or the process ended
        }
    }

    private void finish(Exec e, int code) {
        e.exitCode = code;
        e.running = false;
        containers.execEvent(e.containerId, "exec_die", Map.of("execID", e.id, "exitCode", Integer.toString(code)));
    }

    void startDetached(String id) {
        Exec e = require(id);
        ExecProcess p = launch(e);
        Process proc = p.process();
        try {
            proc.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to close
        }
        Thread.ofVirtual().start(() -> {
            try {
                proc.getInputStream().transferTo(OutputStream.nullOutputStream());
                proc.getErrorStream().transferTo(OutputStream.nullOutputStream());
                finish(e, proc.waitFor());
            } catch (IOException | InterruptedException ignored) {
                // daemon shutting down
            }
        });
    }

    void resize(String id, int height, int width) {
        Exec e = require(id);
        if (e.process == null) {
            throw EngineApiException.conflict("exec " + id + " is not running");
        }
        try {
            e.process.resize(height, width);
        } catch (IOException ex) {
            throw EngineApiException.conflict(ex.getMessage());
        }
    }

    ExecInspect inspect(String id) {
        Exec e = require(id);
        ExecCreateRequest r = e.request;
        List<String> cmd = r.cmd();
        long pid = e.process != null && e.running ? e.process.process().pid() : 0;
        return new ExecInspect(e.id, e.running, e.exitCode, new ExecInspect.ProcessConfig(Boolean.TRUE.equals(r.tty()), cmd.getFirst(),
                cmd.subList(1, cmd.size()), Boolean.TRUE.equals(r.privileged()), r.user() == null ? "" : r.user()),
                Boolean.TRUE.equals(r.attachStdin()), Boolean.TRUE.equals(r.attachStderr()), Boolean.TRUE.equals(r.attachStdout()), false,
                e.containerId, r.detachKeys() == null ? "" : r.detachKeys(), pid);
    }

    List<String> idsOf(String containerId) {
        return execs.values().stream().filter(e -> e.containerId.equals(containerId)).map(e -> e.id).toList();
    }

    void forget(String containerId) {
        execs.values().removeIf(e -> e.containerId.equals(containerId));
    }
}
