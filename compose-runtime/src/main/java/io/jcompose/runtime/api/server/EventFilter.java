package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.EventMessage;
import java.util.Map;
import java.util.Set;

/** moby's event filter ({@code daemon/events/filter.go}) over our {@link Filters}. */
record EventFilter(Filters filters) {

    static final Set<String> KEYS = Set.of(
            "config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service",
            "type", "volume");

    boolean include(EventMessage ev) {
        Map<String, String> attrs = ev.actor() == null || ev.actor().attributes() == null ? Map.of() : ev.actor().attributes();
        String id = ev.actor() == null ? "" : ev.actor().id();
        return filters.exactMatch("type", ev.type())
                && matchEvent(ev.action())
                && filters.exactMatch("scope", ev.scope())
                && filters.matchLabels("label", attrs)
                && byName("container", "container", ev.type(), id, attrs)
                && byName("network", "network", ev.type(), id, attrs)
                && byName("volume", "volume", ev.type(), id, attrs)
                && byName("daemon", "daemon", ev.type(), id, attrs)
                && matchImage(ev, attrs);
    }

    /** health_status, exec_create and exec_start match by prefix ("health_status: healthy"). */
    private boolean matchEvent(String action) {
        Set<String> wanted = filters.get("event");
        if (wanted.contains("health_status") || wanted.contains("exec_create") || wanted.contains("exec_start")) {
            return filters.fuzzyMatch("event", action);
        }
        return filters.exactMatch("event", action);
    }

    /** A {@code container=x} filter only lets container events by that ID (prefix) or name through. */
    private boolean byName(String key, String type, String evType, String id, Map<String, String> attrs) {
        if (!filters.has(key)) {
            return true;
        }
        if (!type.equals(evType)) {
            return false;
        }
        return filters.fuzzyMatch(key, id) || filters.fuzzyMatch(key, attrs.getOrDefault("name", ""));
    }

    private boolean matchImage(EventMessage ev, Map<String, String> attrs) {
        if (!filters.has("image")) {
            return true;
        }
        String name = switch (ev.type()) {
            case "container" -> attrs.getOrDefault("image", "");
            case "image" -> ev.actor().id();
            default -> null;
        };
        if (name == null) {
            return false;
        }
        String noTag = stripTag(name);
        for (String want : filters.get("image")) {
            if (want.equals(name) || want.equals(noTag) || stripTag(want).equals(noTag) && !want.contains(":")) {
                return true;
            }
        }
        return filters.get("image").contains(attrs.get("name"));
    }

    private static String stripTag(String ref) {
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        return colon > slash ? ref.substring(0, colon) : ref;
    }
}
