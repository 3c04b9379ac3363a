package io.jcompose.runtime.api;

import io.jcompose.runtime.api.model.EventMessage;
import java.time.Instant;
import java.util.Map;

/** Where services report what happened (container died, volume created, ...); the daemon's event bus. */
@FunctionalInterface
public interface EventSink {

    /** Publishes one event to every current subscriber and to the replay buffer. */
    void publish(EventMessage event);

    /** A sink that drops everything (for code that runs without a daemon). */
    EventSink NONE = e -> {};

    /**
     * Builds an event stamped now. Container and image events also get the legacy
     * {@code status}/{@code id}/{@code from} fields moby fills below API 1.52.
     *
     * @param type {@code container}, {@code image}, {@code network}, {@code volume}, {@code daemon}
     * @param action e.g. {@code create}, {@code die}, {@code health_status: healthy}
     * @param id the object's ID (a volume's name)
     * @param attributes labels plus {@code name}, {@code image}, {@code exitCode}, ...
     */
    static EventMessage event(String type, String action, String id, Map<String, String> attributes) {
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Map<String, String> attrs = attributes == null ? Map.of() : Map.copyOf(attributes);
        boolean legacy = type.equals("container") || type.equals("image");
        String from = type.equals("container") ? attrs.get("image") : null;
        return new EventMessage(
                legacy ? action : null,
                legacy ? id : null,
                from,
                type,
                action,
                new EventMessage.Actor(id, attrs),
                "local",
                now.getEpochSecond(),
                nanos);
    }
}
