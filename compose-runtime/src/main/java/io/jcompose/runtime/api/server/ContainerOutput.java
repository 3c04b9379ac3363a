package io.jcompose.runtime.api.server;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A container's byte streams as the API hands them to clients. With {@code tty} the bytes are raw;
 * without, the writer emits Docker's multiplexed frames (8-byte header per chunk).
 */
public sealed interface ContainerOutput {

    /** Whether the container (or exec) has a TTY: decides the content type. */
    boolean tty();

    /** Output only (logs). */
    record OneWay(boolean tty, Writer writer) implements ContainerOutput {}

    /** Both ways (attach, exec start): stdin from the client, output to it. */
    record Duplex(boolean tty, Session session) implements ContainerOutput {}

    /** Writes output until done (or the client leaves: writes then fail). */
    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws Exception;
    }

    /** Serves a duplex session; {@code stdin} ends at the client's half-close. Return to close the connection. */
    @FunctionalInterface
    interface Session {
        void serve(InputStream stdin, OutputStream out) throws Exception;
    }
}
