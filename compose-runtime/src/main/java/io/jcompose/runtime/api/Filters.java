package io.jcompose.runtime.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code filters} query parameter of list, prune and events endpoints, with moby's matching
 * rules ({@code daemon/internal/filters}).
 *
 * <p>Both wire forms are read: the map form {@code {"label":{"a=b":true}}} sent by Go clients and
 * the list form {@code {"label":["a=b"]}} sent by docker-py and docker-java. Values of one key are
 * OR-ed (except {@code label}, where all must hold); keys are AND-ed.
 *
 * @param values key → set of values, in the order the client gave them
 */
public record Filters(Map<String, Set<String>> values) {

    /** No filters at all. */
    public static final Filters NONE = new Filters(Map.of());

    public Filters {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses the (already URL-decoded) {@code filters} parameter; null or blank means none.
     *
     * @throws IllegalArgumentException when the text is neither form; the message suits a 400
     */
    public static Filters parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid filter: " + json);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("invalid filter: " + json);
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            Set<String> set = new LinkedHashSet<>();
            JsonNode v = field.getValue();
            if (v.isObject()) {
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    if (e.getValue().asBoolean(false)) {
                        set.add(e.getKey());
                    }
                }
            } else if (v.isArray()) {
                v.forEach(item -> set.add(item.asString()));
            } else if (v.isString()) {
                set.add(v.asString());
            } else {
                throw new IllegalArgumentException("invalid filter: " + json);
            }
            out.put(field.getKey(), set);
        }
        return new Filters(out);
    }

    /** Builds filters from pairs: {@code of("label", "a=b", "name", "x")}. */
    public static Filters of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.computeIfAbsent(keyValues[i], k -> new LinkedHashSet<>()).add(keyValues[i + 1]);
        }
        return new Filters(out);
    }

    /** The map form Go clients send, e.g. {@code {"label":{"a=b":true}}}; empty string when none. */
    public String toJson() {
        if (values.isEmpty()) {
            return "";
        }
        Map<String, Map<String, Boolean>> wire = new TreeMap<>();
        values.forEach((k, set) -> {
            Map<String, Boolean> m = new LinkedHashMap<>();
            set.forEach(v -> m.put(v, true));
            wire.put(k, m);
        });
        return Json.mapper().writeValueAsString(wire);
    }

    /** True if no filter is set. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The values of {@code key}, empty when absent. */
    public Set<String> get(String key) {
        return values.getOrDefault(key, Set.of());
    }

    /** True if {@code key} has at least one value. */
    public boolean has(String key) {
        return !get(key).isEmpty();
    }

    /**
     * Rejects keys this endpoint does not know, as moby does ({@code invalid filter 'x'}).
     *
     * @throws IllegalArgumentException naming the first unknown key
     */
    public Filters validate(Set<String> accepted) {
        for (String key : values.keySet()) {
            if (!accepted.contains(key)) {
                throw new IllegalArgumentException("invalid filter '" + key + "'");
            }
        }
        return this;
    }

    /** No values for {@code key}, or {@code source} is one of them. */
    public boolean exactMatch(String key, String source) {
        Set<String> set = get(key);
        return set.isEmpty() || set.contains(source);
    }

    /**
     * moby's {@code Match}: no values, an equal value, or a value that as a regular expression
     * finds a match in {@code source} (so plain text matches as a substring).
     */
    public boolean match(String key, String source) {
        Set<String> set = get(key);
        if (set.isEmpty() || set.contains(source)) {
            return true;
        }
        for (String v : set) {
            try {
                if (Pattern.compile(v).matcher(source).find()) {
                    return true;
                }
            } catch (PatternSyntaxException ignored) {
                // moby skips values that are not valid expressions
            }
        }
        return false;
    }

    /** moby's {@code FuzzyMatch}: no values, an equal value, or a value that prefixes {@code source}. */
    public boolean fuzzyMatch(String key, String source) {
        Set<String> set = get(key);
        if (set.isEmpty() || set.contains(source)) {
            return true;
        }
        return source != null && set.stream().anyMatch(source::startsWith);
    }

    /**
     * Label matching ({@code MatchKVList}): every value must hold; {@code k} means the label
     * exists, {@code k=v} means it has that value.
     */
    public boolean matchLabels(String key, Map<String, String> labels) {
        Set<String> set = get(key);
        if (set.isEmpty()) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (String v : set) {
            int eq = v.indexOf('=');
            if (eq < 0) {
                if (!l.containsKey(v)) {
                    return false;
                }
            } else if (!v.substring(eq + 1).equals(l.get(v.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** {@code label} must all hold and {@code label!} must all fail (prune filters). */
    public boolean matchLabelsWithNegation(Map<String, String> labels) {
        if (!matchLabels("label", labels)) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (String v : get("label!")) {
            int eq = v.indexOf('=');
            boolean holds = eq < 0 ? l.containsKey(v) : v.substring(eq + 1).equals(l.get(v.substring(0, eq)));
            if (holds) {
                return false;
            }
        }
        return true;
    }

    /**
     * A boolean filter such as {@code dangling}: absent gives {@code dflt}; {@code true/1} and
     * {@code false/0} are read; anything else is an error.
     */
    public boolean bool(String key, boolean dflt) {
        Set<String> set = get(key);
        if (set.isEmpty()) {
            return dflt;
        }
        boolean result = dflt;
        for (String v : set) {
            switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> result = true;
                case "false", "0" -> result = false;
                default -> throw new IllegalArgumentException("invalid filter '" + key + "=" + v + "'");
            }
        }
        return result;
    }
}
