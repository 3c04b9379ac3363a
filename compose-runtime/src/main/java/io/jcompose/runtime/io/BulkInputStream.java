package io.jcompose.runtime.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that implements only the bulk {@link #read(byte[], int, int)}: the one-byte
 * {@link #read()} reads through it, so each stream keeps its logic in one place.
 */
public abstract class BulkInputStream extends InputStream {

    /** For subclasses. */
    protected BulkInputStream() {}

    /**
     * Reads one byte through {@link #read(byte[], int, int)}.
     *
     * @return the byte (0 to 255), or -1 at the end of the stream
     * @throws IOException as the bulk read
     */
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        // a bulk read over a socket channel may return 0 bytes; a one-byte read must not
        while ((n = read(one, 0, 1)) == 0) {
            Thread.onSpinWait();
        }
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
