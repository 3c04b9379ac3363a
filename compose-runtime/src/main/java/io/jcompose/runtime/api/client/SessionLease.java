package io.jcompose.runtime.api.client;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.model.SessionInfo;
import io.jcompose.runtime.api.model.SessionReapReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's hold on a session: while it is open, the daemon keeps every container, network and
 * volume labelled {@code io.jcompose.session=<id>} ({@link #label()}); when the holding process
 * dies (even by {@code kill -9}) the daemon removes them after the keep-alive. {@link #close()}
 * ends the lease in order: the daemon then removes the session's objects at once (unless another
 * lease still holds the session or its keep-alive is {@code forever}). See {@code docs/reaper.md}.
 *
 * <p>The lease is one open connection to the daemon ({@code POST /jcompose/sessions/<id>}, hijacked).
 * If the daemon restarts, the lease reconnects by itself; the restarted daemon waits one keep-alive
 * before it reaps sessions nobody holds, which leaves the time to do so.
 *
 * <p>Debugging: with the environment variable {@code JCOMPOSE_REAPER_KEEP=1} (or a keep-alive of
 * {@link Sessions.KeepAlive#FOREVER}) nothing is ever reaped for this session.
 *
 * <pre>{@code
 * try (SessionLease lease = SessionLease.open(socket, "it-" + UUID.randomUUID(), Duration.ofSeconds(10))) {
 *     // create objects with labels lease.label()
 * } // objects removed
 * }</pre>
 */
public final class SessionLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLease.class);

    /** Environment variable: {@code 1}/{@code true} makes every lease keep its session forever. */
    public static final String KEEP_ENV = "JCOMPOSE_REAPER_KEEP";

    private static final Duration END_TIMEOUT = Duration.ofMinutes(2);

    private final DockerHost host;
    private final String sessionId;
    private final Sessions.KeepAlive requested;
    private final Object lock = new Object();
    private HttpWire.Response connection; // guarded by lock
    private SessionInfo info; // guarded by lock
    private boolean closing; // guarded by lock
    private CompletableFuture<SessionReapReport> endReport; // guarded by lock
    private SessionReapReport report;

    private SessionLease(DockerHost host, String sessionId, Sessions.KeepAlive requested) {
        this.host = host;
        this.sessionId = sessionId;
        this.requested = requested;
    }

    /**
     * Opens a lease on a session of the daemon at {@code socket}.
     *
     * @param socket the daemon's API socket
     * @param sessionId the session ({@link Sessions#checkId}: letters, digits, {@code _.-})
     * @param keepAlive how long the daemon waits after the connection is lost before it reaps;
     *     null for the daemon's default ({@code session-keepalive}, 10 s)
     * @return the held lease
     * @throws IllegalArgumentException for a bad session id
     * @throws UncheckedIOException when the daemon cannot be reached
     * @throws EngineApiException when the daemon refuses the lease
     */
    public static SessionLease open(Path socket, String sessionId, Duration keepAlive) {
        return open(new DockerHost.Unix(socket), sessionId, keepAlive == null ? null : Sessions.KeepAlive.of(keepAlive));
    }

    /**
     * As {@link #open(Path, String, Duration)} for any daemon address and keep-alive (including
     * {@link Sessions.KeepAlive#FOREVER}); {@code JCOMPOSE_REAPER_KEEP=1} in the environment
     * turns any keep-alive into forever.
     */
    public static SessionLease open(DockerHost host, String sessionId, Sessions.KeepAlive keepAlive) {
        Sessions.checkId(sessionId);
        Sessions.KeepAlive wanted = keepForever(System.getenv()) ? Sessions.KeepAlive.FOREVER : keepAlive;
        SessionLease lease = new SessionLease(host, sessionId, wanted);
        try {
            lease.connect();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a lease on session " + sessionId + " at " + host + ": " + e.getMessage(), e);
        }
        Thread.ofVirtual().name("jcompose-lease-" + sessionId).start(lease::watch);
        return lease;
    }

    /** Whether an environment asks to keep sessions forever ({@value #KEEP_ENV} = {@code 1}, {@code true}, {@code yes}). */
    public static boolean keepForever(Map<String, String> env) {
        String v = env.get(KEEP_ENV);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    /** The session id. */
    public String sessionId() {
        return sessionId;
    }

    /** The label to put on every object of this session: {@code io.jcompose.session=<id>}. */
    public Map<String, String> label() {
        return Map.of(Sessions.LABEL, sessionId);
    }

    /** The keep-alive the daemon applies ({@code 10s}, {@code forever}), as it said. */
    public String keepAlive() {
        synchronized (lock) {
            return info.keepAlive();
        }
    }

    /** True while the connection to the daemon is up (false during a reconnect and after close). */
    public boolean held() {
        synchronized (lock) {
            return connection != null && !closing;
        }
    }

    /**
     * Ends the lease in order and returns what the daemon removed (an unreaped report when other
     * leases still hold the session, or the keep-alive is forever). Idempotent.
     *
     * @throws UncheckedIOException when the daemon did not answer within 2 minutes or the connection broke
     */
    public SessionReapReport end() {
        CompletableFuture<SessionReapReport> answer;
        synchronized (lock) {
            if (report != null) {
                return report;
            }
            if (!closing) {
                closing = true;
                endReport = new CompletableFuture<>();
                if (connection != null) {
                    try {
                        connection.connection().out().write(Sessions.END_LINE.getBytes(StandardCharsets.US_ASCII));
                        connection.connection().out().flush();
                    } catch (IOException e) {
                        endReport.completeExceptionally(e);
                    }
                } else {
                    endReport.completeExceptionally(new IOException("the daemon is not connected (restarting?)"));
                }
            }
            answer = endReport;
        }
        try {
            SessionReapReport r = answer.get(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (lock) {
                report = r;
            }
            return r;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UncheckedIOException("session " + sessionId + ": the daemon did not confirm the end of the lease: " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        } catch (TimeoutException e) {
            throw new UncheckedIOException(new IOException("session " + sessionId + ": no answer from the daemon within " + END_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while ending session " + sessionId));
        } finally {
            disconnect();
        }
    }

    /** Ends the lease ({@link #end()}); a daemon that cannot be reached is logged, not thrown. */
    @Override
    public void close() {
        try {
            end();
        } catch (UncheckedIOException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private void connect() throws IOException {
        String target = Sessions.PATH_PREFIX + sessionId
                + (requested == null ? "" : "?" + Sessions.KEEPALIVE_PARAM + "=" + URLEncoder.encode(requested.toString(), StandardCharsets.UTF_8));
        HttpWire.Response r = HttpWire.exchange(host, "POST", target, Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
        try {
            if (r.status() != 101 && r.status() != 200) {
                String body = new String(r.readAll(), StandardCharsets.UTF_8).trim();
                String message = body;
                try {
                    message = Objects.requireNonNullElse(Json.mapper().readTree(body).path("message").asString(null), body);
                } catch (RuntimeException e) {
                    // not JSON: keep the text
                }
                throw new EngineApiException(r.status(), "session " + sessionId + ": " + message);
            }
            String line = HttpWire.readLine(r.body());
            if (line == null) {
                throw new IOException("the daemon closed the lease at once");
            }
            SessionInfo answered = Json.mapper().readValue(line.getBytes(StandardCharsets.ISO_8859_1), SessionInfo.class);
            synchronized (lock) {
                connection = r;
                info = answered;
            }
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Reads the daemon's side: the end report, or EOF (daemon gone: reconnect until closed). */
    private void watch() {
        while (true) {
            HttpWire.Response r;
            synchronized (lock) {
                r = connection;
            }
            if (r != null) {
                try {
                    InputStream in = r.body();
                    String line = HttpWire.readLine(in);
                    if (line != null) {
                        SessionReapReport rep = Json.mapper().readValue(line.getBytes(StandardCharsets.ISO_8859_1), SessionReapReport.class);
                        synchronized (lock) {
                            if (endReport != null) {
                                endReport.complete(rep);
                            }
                        }
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("session {}: lease connection: {}", sessionId, e.toString());
                }
                synchronized (lock) {
                    connection = null;
                    if (closing) {
                        if (endReport != null) {
                            endReport.completeExceptionally(new IOException("the daemon closed the connection"));
                        }
                        return;
                    }
                }
                LOG.warn("session {}: lost the connection to the daemon at {}; reconnecting", sessionId, host);
                closeQuietly(r);
            }
            if (!reconnect()) {
                return;
            }
        }
    }

    /** Tries to take the lease again until it succeeds or the lease is closed. */
    private boolean reconnect() {
        long delay = 100;
        while (true) {
            synchronized (lock) {
                if (closing) {
                    if (endReport != null) {
                        endReport.completeExceptionally(new IOException("the daemon is not connected"));
                    }
                    return false;
                }
            }
            try {
                connect();
                synchronized (lock) {
                    if (closing) { // closed while we reconnected: give the new lease back (the daemon sees a drop)
                        closeQuietly(connection);
                        connection = null;
                        if (endReport != null) {
                            endReport.completeExceptionally(new IOException("the daemon was not connected when the lease ended"));
                        }
                        return false;
                    }
                }
                LOG.info("session {}: lease taken again at {}", sessionId, host);
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.debug("session {}: reconnect failed: {}", sessionId, e.toString());
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return false;
            }
            delay = Math.min(delay * 2, 1000);
        }
    }

    private void disconnect() {
        HttpWire.Response r;
        synchronized (lock) {
            r = connection;
            connection = null;
        }
        closeQuietly(r);
    }

    private static void closeQuietly(HttpWire.Response r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
