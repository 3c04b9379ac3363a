package io.jcompose.cli.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One message of the CLI protocol between the native client ({@code jcompose-client}) and the CLI
 * server: a type byte, a 4-byte big-endian length and that many bytes of payload (docs/cli.md).
 *
 * @param type what the payload is ({@link Type})
 * @param payload the bytes (never longer than {@link #MAX_PAYLOAD})
 */
public record Frame(byte type, byte[] payload) {

    /** The largest payload either side sends or accepts (the client sends stdin in 64 KiB pieces). */
    public static final int MAX_PAYLOAD = 16 << 20;

    public Frame {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("frame payload too large: " + payload.length);
        }
    }

    /**
     * A frame whose payload is text.
     *
     * @param type the type
     * @param text the text, sent as UTF-8
     * @return the frame
     */
    public static Frame text(byte type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The payload as UTF-8 text.
     *
     * @return the text
     */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The payload as a big-endian 32-bit integer (an exit code).
     *
     * @return the number
     * @throws IllegalStateException when the payload is not 4 bytes
     */
    public int int32() {
        if (payload.length != 4) {
            throw new IllegalStateException("frame " + (char) type + " carries " + payload.length + " bytes, not 4");
        }
        return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
    }

    /**
     * A frame carrying a big-endian 32-bit integer.
     *
     * @param type the type
     * @param value the number
     * @return the frame
     */
    public static Frame int32(byte type, int value) {
        return new Frame(type, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frame[" + (char) type + ", " + payload.length + " bytes]";
    }

    /** The frame types; client to server in upper case, server to client as noted. */
    public static final class Type {
        /** Client: the build id of the client; the first frame. A server of another build declines. */
        public static final byte VERSION = 'V';
        /** Client: one command-line argument (after the program name), in order. */
        public static final byte ARG = 'A';
        /** Client: one environment entry {@code NAME=value}. */
        public static final byte ENV = 'E';
        /** Client: the absolute working directory. */
        public static final byte CWD = 'C';
        /** Client: terminal facts, 7 bytes: isatty(0), isatty(1), isatty(2), columns (u16), rows (u16). */
        public static final byte TERMINALS = 'T';
        /** Client: the request is complete; run it. */
        public static final byte GO = 'G';
        /** Client: bytes of stdin; an empty payload is end of input. */
        public static final byte STDIN = 'I';
        /** Client: a signal the client received, by name without {@code SIG} ({@code INT}, {@code TERM}...). */
        public static final byte SIGNAL = 'S';
        /** Client: the terminal was resized, 4 bytes: columns (u16), rows (u16). */
        public static final byte WINSIZE = 'W';

        /** Server: the server does not run this request (reason as text); the client runs the JVM instead. */
        public static final byte DECLINE = 'n';
        /** Server: the command reads stdin; the client starts relaying it. */
        public static final byte WANT_STDIN = 'r';
        /** Server: bytes for the client's stdout. */
        public static final byte STDOUT = 'o';
        /** Server: bytes for the client's stderr. */
        public static final byte STDERR = 'e';
        /** Server: the run ended with this exit code (4 bytes); the last frame. */
        public static final byte EXIT = 'x';

        private Type() {}
    }
}
