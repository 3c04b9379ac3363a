package io.jcompose.runtime.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bytes one thread hands over in chunks, read as a stream by another: the stdin of a hijacked
 * API connection (fed by the event loop) or of a CLI server run (fed by the client's frames).
 *
 * <p>End of input: after {@link #end()} readers get the chunks offered before it, then -1 on
 * every read; chunks offered after the end are dropped. An empty chunk is no data, not the end
 * (a protocol whose empty frame means the end calls {@link #end()} for it). Reads block until a
 * chunk or the end arrives; an interrupt ends the wait with an {@link InterruptedIOException}.
 */
public final class ChunkQueueInputStream extends BulkInputStream {
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean asked = new AtomicBoolean();
    private final Runnable beforeFirstRead;
    private byte[] current;
    private int pos;

    /** A stream read as chunks arrive. */
    public ChunkQueueInputStream() {
        this(() -> { });
    }

    /**
     * A stream that tells its feeder when it is first read, so that a feeder can wait to produce
     * input until someone reads it (the CLI client reads its stdin only then).
     *
     * @param beforeFirstRead called once, on the reader's thread, before the first read waits
     */
    public ChunkQueueInputStream(Runnable beforeFirstRead) {
        this.beforeFirstRead = beforeFirstRead;
    }

    /**
     * Adds a chunk; the stream keeps the array, so the caller must not change it afterwards.
     *
     * @param bytes the chunk (an empty one is ignored)
     * @return false when the input has ended and the chunk was dropped
     */
    public boolean offer(byte[] bytes) {
        if (ended.get()) {
            return false;
        }
        if (bytes.length > 0) {
            chunks.add(bytes);
        }
        return true;
    }

    /** Ends the input (the peer half-closed or left); later calls do nothing. */
    public void end() {
        if (ended.compareAndSet(false, true)) {
            chunks.add(END);
        }
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * The unread bytes of the chunk being read (readable without waiting).
     *
     * @return that count, 0 when a read would wait
     */
    @Override
    public synchronized int available() {
        return current == null ? 0 : current.length - pos;
    }

    /** Makes {@link #current} hold unread bytes; false at the end of input. */
    private boolean fill() throws IOException {
        while (current != END && (current == null || pos == current.length)) {
            if (asked.compareAndSet(false, true)) {
                beforeFirstRead.run();
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for input");
            }
            pos = 0;
        }
        return current != END;
    }
}
