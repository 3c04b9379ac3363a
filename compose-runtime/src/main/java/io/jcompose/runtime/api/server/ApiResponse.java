package io.jcompose.runtime.api.server;

/** What a handler answers: a JSON body, no body, text, a stream, or a hijacked connection. */
public sealed interface ApiResponse {

    /** The status code. */
    int status();

    /** A JSON body (serialised with {@link io.jcompose.runtime.api.Json}). */
    record JsonBody(int status, Object body) implements ApiResponse {}

    /** No body (204, 304, or a 200 HEAD). */
    record NoBody(int status) implements ApiResponse {}

    /** A text body with its content type (e.g. {@code OK} of {@code _ping}). */
    record Text(int status, String contentType, String text) implements ApiResponse {}

    /**
     * A chunked body written while the request runs: pull progress, events, logs, wait. The
     * headers go out (and are flushed) before {@code writer} is called.
     */
    record Stream(int status, String contentType, StreamWriter writer) implements ApiResponse {}

    /**
     * Like {@link Stream}, but the headers wait for the first write: an {@link
     * io.jcompose.runtime.api.EngineApiException} thrown before any output becomes an ordinary
     * error answer (pull: moby answers 404/401 when nothing was sent yet, in-band errors after).
     */
    record LazyStream(int status, String contentType, StreamWriter writer) implements ApiResponse {}

    /**
     * A hijacked connection (attach, exec start): {@code 101 UPGRADED} when the client asked for
     * {@code Upgrade: tcp}, else a close-delimited {@code 200}; then raw bytes both ways.
     */
    record Hijack(String contentType, HijackHandler handler) implements ApiResponse {
        @Override
        public int status() {
            return 101;
        }
    }

    /** Another response with extra headers (e.g. the {@code _ping} headers). */
    record WithHeaders(ApiResponse inner, java.util.Map<String, String> headers) implements ApiResponse {
        @Override
        public int status() {
            return inner.status();
        }
    }

    /** 200 with a JSON body. */
    static ApiResponse ok(Object body) {
        return new JsonBody(200, body);
    }

    /** 201 with a JSON body. */
    static ApiResponse created(Object body) {
        return new JsonBody(201, body);
    }

    /** 204. */
    static ApiResponse noContent() {
        return new NoBody(204);
    }

    /** Writes a streamed body. */
    @FunctionalInterface
    interface StreamWriter {
        /** Runs on the request's own (virtual) thread; may block. */
        void write(ResponseStream out) throws Exception;
    }

    /** Serves a hijacked connection. */
    @FunctionalInterface
    interface HijackHandler {
        /** Runs on the request's own (virtual) thread; the connection closes when it returns. */
        void serve(HijackedConnection connection) throws Exception;
    }
}
