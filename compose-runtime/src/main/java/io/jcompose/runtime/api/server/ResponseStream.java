package io.jcompose.runtime.api.server;

import java.io.IOException;

/** The body of a streamed (chunked) response; every write is flushed to the client at once. */
public interface ResponseStream {

    /** Writes raw bytes as one chunk; throws {@link IOException} once the client has gone. */
    void write(byte[] bytes) throws IOException;

    /** Writes one JSON object followed by a newline (events, progress). */
    void writeJsonLine(Object value) throws IOException;

    /** False once the client has hung up; long-running writers check it to stop early. */
    boolean isOpen();

    /** Runs {@code action} when the client hangs up (or at once if it already has). */
    void onClose(Runnable action);
}
