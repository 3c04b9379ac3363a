package io.jcompose.cli.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stdin of a run in the CLI server: the bytes the client relays. The client reads its stdin
 * only once the run first reads here ({@code onFirstRead} asks for it), so a command that never
 * reads stdin does not swallow what the user types next.
 */
final class RemoteStdin extends InputStream {
    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicBoolean asked = new AtomicBoolean();
    private final Runnable onFirstRead;
    private byte[] current;
    private int pos;
    private boolean ended;

    /**
     * A stdin fed by {@link #feed} and {@link #end}.
     *
     * @param onFirstRead called once, before the first read blocks (sends the client its request)
     */
    RemoteStdin(Runnable onFirstRead) {
        this.onFirstRead = onFirstRead;
    }

    /** Adds bytes the client sent; an empty array ends the input. */
    void feed(byte[] bytes) {
        chunks.add(bytes.length == 0 ? EOF : bytes);
    }

    /** Ends the input (the client sent end of input, or the connection is gone). */
    void end() {
        chunks.add(EOF);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return current == null ? 0 : current.length - pos;
    }

    /** Makes {@link #current} hold unread bytes; false at the end of input. */
    private boolean next() throws IOException {
        while (!ended && (current == null || pos >= current.length)) {
            if (asked.compareAndSet(false, true)) {
                onFirstRead.run();
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading stdin");
            }
            pos = 0;
            if (current == EOF) {
                ended = true;
                chunks.add(EOF); // later readers see the end too
            }
        }
        return !ended;
    }
}
