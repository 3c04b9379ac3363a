package io.jcompose.runtime.supervise;

import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ExecProcess;
import io.jcompose.runtime.container.ExecSpec;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs probes as execs through the {@link ContainerEngine}: the container's user, working dir and
 * env, no tty, not privileged (moby's {@code cmdProbe}). On timeout or stop the probe's process
 * tree is SIGKILLed, as containerd kills a cancelled exec.
 */
public final class ExecProbeRunner implements ProbeRunner {
    /** How long the output pumps may still drain after the probe ended. */
    private static final Duration DRAIN = Duration.ofSeconds(1);

    private final ContainerEngine engine;
    private final String containerId;

    public ExecProbeRunner(ContainerEngine engine, String containerId) {
        this.engine = engine;
        this.containerId = containerId;
    }

    @Override
    public Result run(List<String> command, Duration timeout) throws InterruptedException {
        ExecProcess exec;
        try {
            exec = engine.exec(containerId, new ExecSpec(command, null, null, null, false, false));
        } catch (IOException | RuntimeException e) {
            return new Result(-1, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        Process p = exec.process();
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // no stdin for probes
        }
        ProbeOutput out = new ProbeOutput();
        Thread stdout = pump(p.getInputStream(), out), stderr = pump(p.getErrorStream(), out);
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                drain(p, stdout, stderr);
                return ProbeOutput.timedOut(timeout, out.toString());
            }
            drain(p, stdout, stderr);
            String text = out.toString();
            // the shim reports an exec that could not start on stderr with 126/127/128: that text is the output
            return new Result(p.exitValue(), text);
        } catch (InterruptedException stopped) {
            kill(p);
            drain(p, stdout, stderr);
            throw stopped;
        }
    }

    /** SIGKILL the process inside the container and everything it started, then the shim's exec. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Waits (uninterruptibly, briefly) for the shim to exit and the pumps to reach EOF, then closes the pipes. */
    private static void drain(Process p, Thread... pumps) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    p.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            for (Thread t : pumps) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            // an orphan still holding the pipe must not keep a pump alive
            closeQuietly(p.getInputStream());
            closeQuietly(p.getErrorStream());
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static Thread pump(InputStream in, ProbeOutput out) {
        return Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            } catch (IOException closed) {
                // the pipe was closed after the probe ended
            }
        });
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
