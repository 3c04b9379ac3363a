package io.jcompose.runtime.api.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/** The client's bytes on a hijacked connection, fed by the event loop, read by the handler's thread. */
final class StdinPipe extends InputStream {

    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current;
    private int pos;
    private volatile boolean ended;

    /** Called on the event loop with bytes from the client. */
    void offer(byte[] bytes) {
        if (!ended && bytes.length > 0) {
            chunks.add(bytes);
        }
    }

    /** Called at the client's half-close or hangup: readers see EOF after the queued bytes. */
    void end() {
        if (!ended) {
            ended = true;
            chunks.add(EOF);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || pos == current.length) {
            if (current == EOF) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading stdin", e);
            }
            pos = 0;
            if (current == EOF) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
