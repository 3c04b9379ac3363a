package io.jcompose.runtime.container;

import java.time.Instant;

/**
 * One json-file record.
 *
 * @param stream "stdout" or "stderr"
 * @param line   the text including its trailing newline (none for a split chunk)
 * @param time   when the shim read it
 */
public record LogRecord(String stream, String line, Instant time) {
    /** As {@code docker logs} prints it: with {@code --timestamps}, RFC3339Nano time and a space first. */
    public String render(boolean timestamps) {
        return timestamps ? LogTimes.format(time) + " " + line : line;
    }
}
