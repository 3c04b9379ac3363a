package io.jcompose.runtime.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A hijacked attach/exec connection: write stdin to {@link #stdin()}, {@link #closeStdin()} for
 * EOF (a half-close: output keeps coming), read {@link #output()} (multiplexed frames unless the
 * container has a TTY; see {@link StreamFrames}) until EOF.
 */
public final class HijackedStream implements AutoCloseable {

    private final HttpWire.Response response;

    HijackedStream(HttpWire.Response response) {
        this.response = response;
    }

    /** {@code application/vnd.docker.multiplexed-stream} or {@code ...raw-stream}. */
    public String contentType() {
        return response.header("content-type");
    }

    /** True if the daemon answered {@code 101 UPGRADED} (else a close-delimited 200). */
    public boolean upgraded() {
        return response.status() == 101;
    }

    public OutputStream stdin() {
        return response.connection().out();
    }

    public void closeStdin() throws IOException {
        response.connection().shutdownOutput();
    }

    public InputStream output() {
        return response.body();
    }

    @Override
    public void close() throws IOException {
        response.close();
    }
}
