package io.jcompose.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Runs one {@link WaitStrategy} against one container until it passes, the container stops, or time runs out. */
final class Readiness {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private Readiness() {}

    /**
     * @throws ServiceNotReadyException on timeout or when the container is no longer running
     */
    static void await(ServiceHandle h, String containerId, WaitStrategy strategy) throws InterruptedException {
        long deadline = System.nanoTime() + strategy.timeout().toNanos();
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

    private static ServiceNotReadyException failure(ServiceHandle h, String container, String containerId, String reason) {
        return new ServiceNotReadyException(h.service(), container, reason,
                ServiceHandle.lastLogLines(h.client(), containerId, ServiceNotReadyException.LOG_LINES), null);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static boolean passes(ServiceHandle h, WaitStrategy strategy) throws InterruptedException {
        return switch (strategy) {
            case Wait.LogLine l -> h.logs().lines().anyMatch(line -> l.pattern().matcher(line).find());
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
