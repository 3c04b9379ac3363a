package io.jcompose.cli.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads and writes {@link Frame}s on a byte channel. Reading is for one thread; writing is safe
 * from several (stdout, stderr and the exit code come from different threads), one frame at a time.
 * Works on the channel directly, not through {@code Channels.newInputStream}, whose streams would
 * let a blocked read hold up writes on the same socket.
 */
public final class FrameChannel {
    private static final int HEADER = 5;

    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final ReentrantLock writing = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);

    /**
     * Frames over one channel (a connected socket).
     *
     * @param channel the channel
     */
    public FrameChannel(ByteChannel channel) {
        this(channel, channel);
    }

    /**
     * Frames read from one channel and written to another (tests, pipes).
     *
     * @param in where frames are read
     * @param out where frames are written
     */
    public FrameChannel(ReadableByteChannel in, WritableByteChannel out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or null at a clean end of the stream (between frames)
     * @throws IOException when the stream breaks or a frame is malformed
     */
    public Frame read() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            return null;
        }
        header.flip();
        byte type = header.get();
        int length = header.getInt();
        if (length < 0 || length > Frame.MAX_PAYLOAD) {
            throw new IOException("bad frame length " + Integer.toUnsignedString(length) + " for type " + (type & 0xff));
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        fill(payload, false);
        return new Frame(type, payload.array());
    }

    /**
     * Writes one frame, whole.
     *
     * @param frame the frame
     * @throws IOException when the peer is gone
     */
    public void write(Frame frame) throws IOException {
        write(frame.type(), frame.payload(), 0, frame.payload().length);
    }

    /**
     * Writes one frame from part of an array.
     *
     * @param type the type
     * @param bytes the payload's array
     * @param off where the payload starts
     * @param len its length
     * @throws IOException when the peer is gone
     */
    public void write(byte type, byte[] bytes, int off, int len) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER).put(type).putInt(len).flip();
        ByteBuffer body = ByteBuffer.wrap(bytes, off, len);
        writing.lock();
        try {
            while (h.hasRemaining()) {
                out.write(h);
            }
            while (body.hasRemaining()) {
                out.write(body);
            }
        } finally {
            writing.unlock();
        }
    }

    /** Fills the buffer; false when the stream ended before its first byte and that is allowed. */
    private boolean fill(ByteBuffer b, boolean endAllowed) throws IOException {
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                if (endAllowed && b.position() == 0) {
                    return false;
                }
                throw new EOFException("the connection ended inside a frame");
            }
        }
        return true;
    }
}
