package io.jcompose.runtime.api.client;

import io.jcompose.runtime.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A stream of JSON objects, one per line (events, pull/push progress); {@link #next()} blocks for
 * the next one and returns null at the end. Close it to leave early.
 */
public final class JsonLines<T> implements AutoCloseable {

    private final HttpWire.Response response;
    private final BufferedReader reader;
    private final Class<T> type;

    JsonLines(HttpWire.Response response, Class<T> type) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        this.type = type;
    }

    /** The next object, or null when the daemon ended the stream. */
    public T next() throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        return Json.mapper().readValue(line, type);
    }

    @Override
    public void close() throws IOException {
        response.close();
    }
}
