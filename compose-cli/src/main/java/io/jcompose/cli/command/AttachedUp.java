package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.UsageException;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.observe.ObservedState;
import io.jcompose.planner.plan.DownPlan;
import io.jcompose.planner.plan.Planner;
import io.jcompose.planner.reconcile.ReconcileOptions;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Attached {@code up} after the containers started (docker/compose 2.26 {@code pkg/compose/up.go}
 * and {@code printer.go}): the attached services' logs, prefixed; {@code <name> exited with code N}
 * when one ends; with {@code --abort-on-container-exit} the first exit stops everything
 * ("Aborting on container exit...") and the exit code is that container's, or with
 * {@code --exit-code-from} the named service's; Ctrl-C stops gracefully, a second Ctrl-C kills.
 *
 * @param ctx the command's context
 * @param project the project
 * @param services the services named on the command line (all when empty)
 * @param attach the services whose logs are shown
 * @param cascadeStop {@code --abort-on-container-exit}
 * @param exitCodeFrom {@code --exit-code-from}, or {@code null}
 * @param timeout {@code -t}, or {@code null}
 * @param prefix prefix log lines with the container name (not {@code --no-log-prefix})
 * @param timestamps {@code --timestamps}
 */
record AttachedUp(ComposeContext ctx, Project project, List<String> services, Set<String> attach, boolean cascadeStop,
        String exitCodeFrom, Integer timeout, boolean prefix, boolean timestamps) {

    /** A container's log stream or wait ended. */
    private record Exit(ContainerSummary container, String service, int code, boolean attached) {}

    /**
     * The services to attach to, as compose computes them: {@code --attach} (each must be a
     * service of the project), else the selected services whose {@code attach} is not false; then
     * without {@code --no-attach}.
     *
     * @throws UsageException when {@code --attach} names an unknown service
     */
    static Set<String> attachSet(Project project, List<String> selected, List<String> attach, List<String> noAttach) {
        Set<String> out = new TreeSet<>();
        if (!attach.isEmpty()) {
            Set<String> unknown = new TreeSet<>(attach);
            unknown.removeAll(project.services().keySet());
            if (!unknown.isEmpty()) {
                throw new UsageException("cannot attach to services not included in up: " + String.join(", ", unknown));
            }
            out.addAll(attach);
        } else {
            for (String name : selected.isEmpty() ? project.services().keySet() : selected) {
                Service s = project.service(name);
                if (s.attach() == null || s.attach()) {
                    out.add(name);
                }
            }
        }
        noAttach.forEach(out::remove);
        return out;
    }

    /**
     * Follows until every watched container ended.
     *
     * @return compose's exit code for attached {@code up}
     */
    int run() {
        EngineClient client = ctx.client();
        List<ContainerSummary> all = LogsCommand.containers(client, project.name(), watched(), false);
        List<ContainerSummary> logged = all.stream().filter(c -> attach.contains(ServiceContainers.service(c))).toList();
        int width = logged.stream().mapToInt(c -> LogsCommand.displayName(c).length()).max().orElse(0) + 1;
        PrintWriter out = ctx.out();
        PrintWriter err = ctx.err();
        Interrupts interrupts = new Interrupts();
        AutoCloseable signals = interrupts.install(ctx.signals(), ctx.threads(), () -> gracefulStop(err, interrupts), () -> kill(client));
        if (!logged.isEmpty()) {
            out.println("Attaching to " + String.join(", ", logged.stream().map(LogsCommand::displayName).toList()));
            out.flush();
        }
        BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
        int watching = 0;
        for (ContainerSummary c : all) {
            boolean attached = attach.contains(ServiceContainers.service(c));
            if (!attached && !"running".equals(c.state())) {
                continue;
            }
            watching++;
            String pre = prefix ? String.format("%-" + width + "s | ", LogsCommand.displayName(c)) : "";
            ctx.threads().start("jcompose-follow-" + c.id().substring(0, 12), () -> exits.add(follow(client, c, attached, pre, out)));
        }
        try (signals) {
            boolean aborting = false;
            int exitCode = 0;
            String codeFrom = exitCodeFrom;
            for (int left = watching; left > 0; left--) {
                Exit e = exits.take();
                if (!aborting && !interrupts.stopping() && e.attached()) {
                    synchronized (out) {
                        out.println(LogsCommand.displayName(e.container()) + " exited with code " + e.code());
                        out.flush();
                    }
                }
                if (cascadeStop) {
                    if (!aborting && !interrupts.stopping()) {
                        aborting = true;
                        err.println("Aborting on container exit...");
                        err.flush();
                        ctx.threads().start("jcompose-abort", () -> stop(err));
                    }
                    if (codeFrom == null) {
                        codeFrom = e.service();
                    }
                    if (codeFrom.equals(e.service())) {
                        exitCode = e.code();
                    }
                }
            }
            interrupts.awaitStopped();
            if (interrupts.stopping() && !cascadeStop) {
                err.println("canceled"); // compose's last line: its context was cancelled
                err.flush();
                return ExitCodes.INTERRUPTED;
            }
            return exitCode;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        } catch (RuntimeException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The services whose containers end the attached session: the selected ones and their dependencies. */
    private List<String> watched() {
        if (services.isEmpty()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>(services);
        var graph = io.jcompose.planner.graph.ServiceGraph.of(project, w -> { });
        services.forEach(s -> out.addAll(graph.transitiveDependencies(s)));
        return new ArrayList<>(out);
    }

    private Exit follow(EngineClient client, ContainerSummary c, boolean attached, String pre, PrintWriter out) {
        String service = ServiceContainers.service(c);
        try {
            if (attached) {
                boolean tty = Boolean.TRUE.equals(client.inspectContainer(c.id()).config().tty());
                try (InputStream in = client.logs(c.id(), true, timestamps, "all")) {
                    LogsCommand.copyLines(in, tty, line -> {
                        synchronized (out) {
                            out.println(pre + line);
                            out.flush();
                        }
                    });
                }
            }
            // the log ends with the process; the engine may record the exit a moment later
            int code = (int) client.waitContainer(c.id(), "not-running").statusCode();
            return new Exit(c, service, code, attached);
        } catch (Exception e) {
            return new Exit(c, service, -1, attached); // removed meanwhile: it ended all the same
        }
    }

    private void gracefulStop(PrintWriter err, Interrupts interrupts) {
        err.println("Gracefully stopping... (press Ctrl+C again to force)");
        err.flush();
        try {
            stop(err);
        } finally {
            interrupts.stopped();
        }
    }

    /** Stops the services' containers in reverse dependency order, shown as compose's stop display. */
    private void stop(PrintWriter err) {
        try {
            ComposeContext.oneLine(() -> {
                ObservedState observed = ctx.observe(project.name());
                DownPlan plan = Planner.stop(project, observed, services, timeout);
                ctx.withReconciler("stop", true, new ReconcileOptions(null, timeout, false, null, null), op -> op.reconciler().stop(plan));
            });
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            err.flush();
        }
    }

    /** The second Ctrl-C: SIGKILL to every running container of the project. */
    private void kill(EngineClient client) {
        for (ContainerSummary c : ServiceContainers.of(client, project.name(), services, false)) {
            try {
                client.killContainer(c.id(), null);
            } catch (RuntimeException e) {
                // ended meanwhile
            }
        }
    }

    /** Compose's signal handling while attached: the first SIGINT/SIGTERM stops, the second kills. */
    private static final class Interrupts {
        private final AtomicInteger count = new AtomicInteger();
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

        AutoCloseable install(io.jcompose.cli.Signals signals, io.jcompose.cli.RunThreads threads, Runnable first, Runnable second) {
            return signals.handleAll(List.of("INT", "TERM"), name -> {
                int n = count.incrementAndGet();
                threads.start("jcompose-signal", n == 1 ? first : second);
            });
        }

        boolean stopping() {
            return count.get() > 0;
        }

        void stopped() {
            stopped.countDown();
        }

        /**
         * After an interrupt, waits for the graceful stop to finish its display, so that
         * {@code canceled} stays the last line; after a second one (kill) the stop ends as soon as
         * the killed containers are gone, so that wait is bounded.
         */
        void awaitStopped() throws InterruptedException {
            while (count.get() == 1 && !stopped.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // a graceful stop takes as long as the containers' grace periods
            }
            if (count.get() > 1) {
                stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
