package io.jcompose.runtime.api.server;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over for raw bytes (attach, exec). The client's bytes are the process's
 * stdin; a half-close by the client is stdin EOF only, output keeps flowing (ENGINE-API.md §3.1).
 */
public interface HijackedConnection {

    /** What the client sends; ends (EOF) at the client's half-close or hangup. */
    InputStream stdin();

    /** Raw output to the client (multiplexed frames or TTY bytes: the handler decides). */
    OutputStream stdout();

    /** False once the client has fully hung up. */
    boolean isOpen();

    /** Runs {@code action} when the client fully hangs up. */
    void onHangup(Runnable action);
}
