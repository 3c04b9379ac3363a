package io.jcompose.runtime.container;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A running exec: its {@link #process()} carries the exec's stdio and exit code; a tty exec can
 * be resized.
 *
 * @param control the exec's control socket (tty only), null otherwise
 */
public record ExecProcess(Process process, Path control) {

    /** Sets the exec's terminal size (Docker's exec resize). */
    public void resize(int rows, int cols) throws IOException {
        if (control == null) throw new ContainerException("exec has no tty to resize");
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(control))) {
            ch.write(ByteBuffer.wrap(("resize " + rows + " " + cols + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(64);
            while (ch.read(reply) > 0 && reply.hasRemaining()) { }
            String r = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8).strip();
            if (!r.equals("ok")) throw new ContainerException("resize exec: " + r);
        }
    }

    /** The exit code, once the exec has ended. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }
}
