package io.jcompose.runtime.daemon;

import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.server.EventSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process event bus: services publish, {@code GET /events} subscribes. Keeps the last
 * {@value #BUFFER} events for {@code since} replays, as moby does (its buffer is 256).
 */
public final class EventBus implements EventSink, EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    /** How many past events are kept for replay. */
    public static final int BUFFER = 256;

    private final ArrayDeque<EventMessage> buffer = new ArrayDeque<>();
    private final List<Consumer<EventMessage>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(EventMessage event) {
        // under the lock so a subscriber never sees an event twice or misses one between replay and live
        synchronized (buffer) {
            buffer.addLast(event);
            if (buffer.size() > BUFFER) {
                buffer.removeFirst();
            }
            for (Consumer<EventMessage> l : listeners) {
                try {
                    l.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("event listener failed", e);
                }
            }
        }
    }

    @Override
    public AutoCloseable subscribe(long sinceNanos, Consumer<EventMessage> listener) {
        synchronized (buffer) {
            if (sinceNanos >= 0) {
                for (EventMessage e : new ArrayList<>(buffer)) {
                    if (e.timeNano() >= sinceNanos) {
                        listener.accept(e);
                    }
                }
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    @Override
    public int listenerCount() {
        return listeners.size();
    }
}
