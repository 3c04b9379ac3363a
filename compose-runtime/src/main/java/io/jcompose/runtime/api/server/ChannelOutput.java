package io.jcompose.runtime.api.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;

/** Blocking writes from a handler thread to a Netty channel, waiting only when the channel is full. */
final class ChannelOutput {

    private final Channel channel;
    private final boolean httpChunks;

    /**
     * @param httpChunks true to wrap bytes as HTTP chunks (the codec is still in the pipeline),
     *     false for raw bytes on a hijacked connection
     */
    ChannelOutput(Channel channel, boolean httpChunks) {
        this.channel = channel;
        this.httpChunks = httpChunks;
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        if (!channel.isActive()) {
            throw new IOException("client closed the connection");
        }
        if (len == 0) {
            return;
        }
        var buf = Unpooled.copiedBuffer(bytes, off, len);
        ChannelFuture f = channel.writeAndFlush(httpChunks ? new DefaultHttpContent(buf) : buf);
        if (!channel.isWritable()) {
            try {
                f.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
        }
        if (f.isDone() && !f.isSuccess()) {
            throw new IOException("write failed: " + f.cause().getMessage(), f.cause());
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }
}
