package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.engine.EngineConnection;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.SystemInfo;
import io.jcompose.runtime.api.model.SystemVersion;
import io.jcompose.runtime.daemon.DaemonLauncher;
import io.jcompose.runtime.daemon.DataRootLock;
import io.jcompose.runtime.daemon.Jcomposed;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose engine start|stop|status}: the jcomposed daemon behind {@code -H} (default
 * {@code unix:///run/jcompose/jcompose.sock}). Not a docker compose command: compose leaves the
 * daemon to systemd; jcompose also starts it on demand (see {@link EngineConnection#connect()}).
 */
@Command(name = "engine", description = "Start, stop or show the jcompose engine (jcomposed)",
        subcommands = {EngineCommand.Start.class, EngineCommand.Stop.class, EngineCommand.Status.class})
public final class EngineCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    EngineConnection connection() {
        return EngineConnection.of(root.globalOptions(), root.environment());
    }

    /** {@code engine start}: starts jcomposed on the host unless one answers there already. */
    @Command(name = "start", description = "Start the engine unless it is running")
    public static final class Start implements Runnable {
        @Spec CommandSpec spec;

        @ParentCommand EngineCommand engine;

        @Option(names = "--data-root", paramLabel = "<dir>", description = "Another data root than the configuration's")
        Path dataRoot;

        @Option(names = "--exec-root", paramLabel = "<dir>", description = "Another exec root than the configuration's")
        Path execRoot;

        @Override
        public void run() {
            EngineConnection c = engine.connection();
            PrintWriter out = spec.commandLine().getOut();
            switch (c.start(dataRoot, execRoot)) {
                case DaemonLauncher.Result.AlreadyRunning a -> out.println("jcomposed is already running on " + c.host());
                case DaemonLauncher.Result.Started s -> out.println("jcomposed started on " + c.host() + " (pid " + s.pid() + ")");
                case DaemonLauncher.Result.Failed f -> throw new CliException(f.reason(), ExitCodes.FAILURE);
            }
        }
    }

    /**
     * {@code engine stop}: SIGTERM to the jcomposed serving the host (its PID from the data
     * root's lock file), then waits for it to exit. Containers keep running, as with dockerd's
     * live restore.
     */
    @Command(name = "stop", description = "Stop the engine (containers keep running)")
    public static final class Stop implements Runnable {
        private static final long STOP_TIMEOUT_MS = 15_000;

        @Spec CommandSpec spec;

        @ParentCommand EngineCommand engine;

        @Override
        public void run() {
            EngineConnection c = engine.connection();
            EngineClient client = c.client();
            PrintWriter out = spec.commandLine().getOut();
            if (!client.ping()) {
                out.println("jcomposed is not running on " + c.host());
                return;
            }
            SystemInfo info = client.info();
            ProcessHandle daemon = daemonProcess(info.dockerRootDir())
                    .orElseThrow(() -> new CliException("the engine at " + c.host() + " is not a jcomposed of this machine"
                            + " (no running jcomposed holds " + info.dockerRootDir() + "/" + DataRootLock.FILE + ")", ExitCodes.FAILURE));
            daemon.destroy(); // SIGTERM: the daemon stops serving, removes its socket and releases its lock
            try {
                daemon.onExit().get(STOP_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new CliException("jcomposed (pid " + daemon.pid() + ") did not stop within "
                        + STOP_TIMEOUT_MS / 1000 + " s", ExitCodes.FAILURE, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", ExitCodes.INTERRUPTED, e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
            }
            out.println("jcomposed stopped (pid " + daemon.pid() + ")");
        }

        /** The live jcomposed whose PID the lock file of {@code dataRoot} holds. */
        static Optional<ProcessHandle> daemonProcess(String dataRoot) {
            if (dataRoot == null || dataRoot.isEmpty()) {
                return Optional.empty();
            }
            try {
                long pid = Long.parseLong(Files.readString(Path.of(dataRoot, DataRootLock.FILE), StandardCharsets.UTF_8).trim());
                String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
                // the PID must still be a jcomposed, not a process that reused the number
                return cmdline.contains(Jcomposed.class.getName()) ? ProcessHandle.of(pid) : Optional.empty();
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** {@code engine status}: whether an engine answers on the host; exit 1 when none does. */
    @Command(name = "status", description = "Show whether the engine is running")
    public static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;

        @ParentCommand EngineCommand engine;

        @Override
        public Integer call() {
            EngineConnection c = engine.connection();
            EngineClient client = c.client();
            PrintWriter out = spec.commandLine().getOut();
            if (!client.ping()) {
                out.println("jcomposed is not running on " + c.host());
                return ExitCodes.FAILURE;
            }
            SystemVersion v = client.version();
            SystemInfo info = client.info();
            out.println("running on " + c.host() + ": " + v.version() + " (API " + v.apiVersion() + "), data root "
                    + info.dockerRootDir() + ", " + info.containersRunning() + " running container(s)"
                    + mirrors(info));
            return ExitCodes.OK;
        }

        private static String mirrors(SystemInfo info) {
            if (info.registryConfig() == null || info.registryConfig().mirrors() == null
                    || info.registryConfig().mirrors().isEmpty()) {
                return "";
            }
            return ", registry mirrors " + String.join(" ", info.registryConfig().mirrors());
        }
    }
}
