package io.jcompose.runtime.api.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Docker's multiplexed stream (non-TTY attach, exec and logs): an 8-byte header (stream
 * byte: 0 stdin, 1 stdout, 2 stderr; then three zeros; then a big-endian length) and the payload.
 */
public final class StreamFrames {

    /** One frame. */
    public record Frame(int stream, byte[] payload) {}

    private final DataInputStream in;

    public StreamFrames(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next frame, or null at a clean end of stream. */
    public Frame next() throws IOException {
        int stream = in.read();
        if (stream < 0) {
            return null;
        }
        byte[] rest = new byte[7];
        try {
            in.readFully(rest);
        } catch (EOFException e) {
            throw new IOException("truncated stream frame header", e);
        }
        int len = ((rest[3] & 0xff) << 24) | ((rest[4] & 0xff) << 16) | ((rest[5] & 0xff) << 8) | (rest[6] & 0xff);
        byte[] payload = new byte[len];
        in.readFully(payload);
        return new Frame(stream, payload);
    }
}
