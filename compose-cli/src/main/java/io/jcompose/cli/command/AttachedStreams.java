package io.jcompose.cli.command;

import io.jcompose.cli.RunThreads;
import io.jcompose.cli.tty.LocalTerminal;
import io.jcompose.runtime.api.client.HijackedStream;
import io.jcompose.runtime.api.client.StreamFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The streams of an attached {@code exec} or {@code run}: our stdin to the container, its output
 * to our stdout/stderr, and with a TTY on a local terminal the terminal in raw mode and its size
 * passed on (at once and on every resize), as the docker CLI's {@code hijackedIOStreamer} does.
 *
 * @param tty the container side has a TTY (raw output, no frames)
 * @param terminal our stdin is a terminal (raw mode and size apply)
 * @param stdin what to forward, or {@code null} to forward nothing
 * @param out our stdout
 * @param err our stderr
 * @param threads the run's threads (the stdin pump is one)
 */
record AttachedStreams(boolean tty, boolean terminal, InputStream stdin, PrintWriter out, PrintWriter err, RunThreads threads) {
    /**
     * Pumps until the container side closes its output; the terminal is restored before returning,
     * also on failure.
     *
     * @param stream the hijacked connection (attach or exec start)
     * @param resize sends {@code {rows, columns}} to the engine; failures are ignored
     * @throws IOException when the connection breaks
     */
    void pump(HijackedStream stream, Consumer<int[]> resize) throws IOException {
        boolean local = tty && terminal;
        Consumer<int[]> safeResize = size -> {
            try {
                resize.accept(size);
            } catch (RuntimeException e) {
                // the process ended meanwhile: nothing to resize
            }
        };
        try (LocalTerminal.RawMode raw = local ? LocalTerminal.raw() : LocalTerminal.RawMode.NONE;
                AutoCloseable winch = local ? LocalTerminal.onResize(() -> LocalTerminal.size().ifPresent(safeResize)) : () -> { }) {
            if (local) {
                LocalTerminal.size().ifPresent(safeResize);
            }
            if (stdin != null) {
                threads.start("jcompose-stdin", () -> copyStdin(stream));
            }
            copyOutput(stream.output());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) { // only from closing the resize handler, which does not throw
            throw new IllegalStateException(e);
        }
    }

    private void copyStdin(HijackedStream stream) {
        try {
            byte[] buf = new byte[8192];
            for (int n; (n = stdin.read(buf)) >= 0; ) {
                stream.stdin().write(buf, 0, n);
                stream.stdin().flush(); // interactive: every keystroke at once
            }
            stream.closeStdin();
        } catch (IOException e) {
            // the process ended and closed the connection first: nothing more to send
        }
    }

    /**
     * Raw output for a TTY, else the multiplexed frames to stdout and stderr; characters are
     * decoded across reads so that a UTF-8 sequence split between two reads stays whole.
     */
    private void copyOutput(InputStream in) throws IOException {
        if (tty) {
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            char[] buf = new char[8192];
            for (int n; (n = reader.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            return;
        }
        StreamFrames frames = new StreamFrames(in);
        for (StreamFrames.Frame f; (f = frames.next()) != null; ) {
            PrintWriter to = f.stream() == 2 ? err : out;
            to.print(new String(f.payload(), StandardCharsets.UTF_8));
            to.flush();
        }
    }
}
