package io.jcompose.testing;

import io.jcompose.cli.command.LogsCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs one {@link WaitStrategy} against one container until it passes, the container stops, or time runs out. */
final class Readiness {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private Readiness() {}

    /**
     * @throws ServiceNotReadyException on timeout or when the container is no longer running
     */
    static void await(ServiceHandle h, String containerId, WaitStrategy strategy) throws InterruptedException {
        await(h, containerId, strategy, System.nanoTime() + strategy.timeout().toNanos());
    }

    /**
     * As {@link #await(ServiceHandle, String, WaitStrategy)} with the deadline already running
     * ({@link System#nanoTime()}), after a first attempt elsewhere (the CLI server's log follow).
     */
    static void await(ServiceHandle h, String containerId, WaitStrategy strategy, long deadline) throws InterruptedException {
        if (strategy instanceof Wait.LogLine l) {
            awaitLogLine(h, containerId, l, deadline);
            return;
        }
        while (true) {
            var inspect = h.client().inspectContainer(containerId);
            var state = inspect.state();
            String name = inspect.name().replaceFirst("^/", "");
            if (!state.running() && !state.restarting()) {
                throw failure(h, name, containerId, "container exited with code " + state.exitCode() + " while waiting for " + strategy.describe());
            }
            if (state.running() && passes(h, strategy)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw failure(h, name, containerId, "timed out after " + seconds(strategy.timeout()) + " waiting for " + strategy.describe());
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Follows the container's output ({@code GET /logs?follow=1}, all of it from the start) and
     * checks each line as it arrives: ready on the line itself, no polling. The engine ends the
     * stream when the container stops; a restarting container is followed again. The timeout
     * closes the stream from a timer thread.
     */
    private static void awaitLogLine(ServiceHandle h, String containerId, Wait.LogLine wait, long deadline) throws InterruptedException {
        while (true) {
            var inspect = h.client().inspectContainer(containerId);
            var state = inspect.state();
            String name = inspect.name().replaceFirst("^/", "");
            if (!state.running() && !state.restarting()) {
                throw failure(h, name, containerId, "container exited with code " + state.exitCode() + " while waiting for " + wait.describe());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failure(h, name, containerId, "timed out after " + seconds(wait.timeout()) + " waiting for " + wait.describe());
            }
            boolean tty = inspect.config() != null && Boolean.TRUE.equals(inspect.config().tty());
            InputStream out = h.client().logs(containerId, true, false, "all");
            AtomicBoolean timedOut = new AtomicBoolean();
            Thread timer = Thread.ofVirtual().name("jcompose-wait-timer").start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(left));
                    timedOut.set(true);
                    out.close();
                } catch (InterruptedException | IOException e) {
                    // matched or ended first
                }
            });
            try (out) {
                LogsCommand.copyLines(out, tty, line -> {
                    if (wait.pattern().matcher(line).find()) {
                        throw Matched.INSTANCE;
                    }
                });
            } catch (Matched m) {
                return;
            } catch (IOException e) {
                // closed by the timer, or the connection broke: the next round tells which
            } finally {
                timer.interrupt();
            }
            if (!timedOut.get()) {
                Thread.sleep(POLL); // the stream ended: the container stopped or restarts
            }
        }
    }

    /** Ends {@link LogsCommand#copyLines} at the matching line (no stack trace: control flow only). */
    private static final class Matched extends RuntimeException {
        private static final Matched INSTANCE = new Matched();

        private Matched() {
            super("matched", null, false, false);
        }
    }

    private static ServiceNotReadyException failure(ServiceHandle h, String container, String containerId, String reason) {
        return new ServiceNotReadyException(h.service(), container, reason,
                ServiceHandle.lastLogLines(h.client(), containerId, ServiceNotReadyException.LOG_LINES), null);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static boolean passes(ServiceHandle h, WaitStrategy strategy) throws InterruptedException {
        return switch (strategy) {
            case Wait.LogLine l -> h.logs().lines().anyMatch(line -> l.pattern().matcher(line).find()); // await follows the stream instead
            case Wait.Port p -> accepts(h.ip(), p.port());
            case Wait.Http http -> answers2xx(h.ip(), http.port(), http.path());
        };
    }

    private static boolean accepts(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers2xx(String ip, int port, String path) throws InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path)).timeout(PROBE_TIMEOUT).build();
            int status = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        } catch (IOException e) {
            return false;
        }
    }
}
