package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.Sessions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /jcompose/sessions/{id}[?keepalive=10s|forever]}: a hijacked connection that holds a
 * session for as long as it is open ({@link Sessions} describes the exchange).
 */
public final class SessionRoutes {

    private SessionRoutes() {}

    /** Registers the route on {@code router}. */
    public static void register(Router r, SessionBackend sessions) {
        r.addHijacking("POST", Sessions.PATH_PREFIX + "{id}", req -> {
            String id;
            Sessions.KeepAlive keepAlive;
            try {
                id = Sessions.checkId(req.param("id"));
                String ka = req.query(Sessions.KEEPALIVE_PARAM);
                keepAlive = ka == null || ka.isEmpty() ? null : Sessions.KeepAlive.parse(ka);
            } catch (IllegalArgumentException e) {
                throw EngineApiException.badRequest(e.getMessage());
            }
            return new ApiResponse.Hijack("application/x-ndjson", conn -> hold(conn, sessions.acquire(id, keepAlive)));
        });
    }

    private static void hold(HijackedConnection conn, SessionBackend.Lease lease) throws Exception {
        boolean ended = false;
        try {
            OutputStream out = conn.stdout();
            writeLine(out, lease.info());
            BufferedReader in = new BufferedReader(new InputStreamReader(conn.stdin(), StandardCharsets.UTF_8));
            String line;
            // the client sends nothing but its end line; EOF (half-close or hangup) without it is a lost client
            while ((line = in.readLine()) != null) {
                if (line.strip().equals(Sessions.END_LINE.strip())) {
                    ended = true;
                    writeLine(out, lease.end());
                    return;
                }
            }
        } finally {
            if (!ended) {
                lease.drop();
            }
        }
    }

    private static void writeLine(OutputStream out, Object value) throws java.io.IOException {
        byte[] json = Json.mapper().writeValueAsBytes(value);
        out.write(json);
        out.write('\n');
        out.flush();
    }
}
