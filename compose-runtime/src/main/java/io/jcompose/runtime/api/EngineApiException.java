package io.jcompose.runtime.api;

/**
 * An Engine API error with Docker's HTTP status and message, as the daemon answers it and as the
 * client reports it. Backends throw it; the server turns it into {@code {"message": ...}} with the
 * status; the client throws it for every non-2xx answer.
 */
public class EngineApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public EngineApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status: 304, 400, 403, 404, 409, 500, 501, ... */
    public int status() {
        return status;
    }

    /** 400: the caller sent something invalid. */
    public static EngineApiException badRequest(String message) {
        return new EngineApiException(400, message);
    }

    /** 403: forbidden, e.g. removing a predefined network. */
    public static EngineApiException forbidden(String message) {
        return new EngineApiException(403, message);
    }

    /** 404: e.g. {@code No such container: x}; the text matters to clients (ENGINE-API.md §5). */
    public static EngineApiException notFound(String message) {
        return new EngineApiException(404, message);
    }

    /** 409: conflict, e.g. a duplicate name or removing something in use. */
    public static EngineApiException conflict(String message) {
        return new EngineApiException(409, message);
    }

    /** 304: nothing to do (start a running container, stop a stopped one). */
    public static EngineApiException notModified() {
        return new EngineApiException(304, "");
    }

    /** 501: this engine does not provide the feature (yet). */
    public static EngineApiException notImplemented(String message) {
        return new EngineApiException(501, message);
    }

    /** 500: anything else. */
    public static EngineApiException internal(String message) {
        return new EngineApiException(500, message);
    }

    /** 404 errors are common probes; callers branch on this. */
    public boolean isNotFound() {
        return status == 404;
    }
}
