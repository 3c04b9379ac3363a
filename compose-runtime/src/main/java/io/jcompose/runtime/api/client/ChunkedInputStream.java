package io.jcompose.runtime.api.client;

import io.jcompose.runtime.io.BulkInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body; EOF after the last (zero) chunk and its trailers. */
final class ChunkedInputStream extends BulkInputStream {

    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (remaining == 0) {
            String line = HttpWire.readLine(in);
            if (line == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
            try {
                remaining = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + line);
            }
            if (remaining == 0) {
                String trailer;
                while ((trailer = HttpWire.readLine(in)) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            HttpWire.readLine(in); // the CRLF after the chunk data
        }
        return n;
    }
}
