package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.model.EventMessage;
import java.util.function.Consumer;

/** Port: the daemon's event bus as {@code GET /events} reads it. */
public interface EventSource {

    /**
     * Subscribes to events. Buffered past events with {@code timeNano >= sinceNanos} are delivered
     * first (none when {@code sinceNanos} is negative), then live ones, without gap or duplicate.
     *
     * @param listener called on the publisher's thread; must not block
     * @return closes the subscription
     */
    AutoCloseable subscribe(long sinceNanos, Consumer<EventMessage> listener);

    /** How many subscribers listen now ({@code NEventsListener} in {@code /info}). */
    int listenerCount();
}
