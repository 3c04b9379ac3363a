package io.jcompose.runtime.image.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON tree helpers for this package: absent and {@code null} read the same. */
final class Json {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isString() ? v.stringValue() : null;
  }

  static List<String> strings(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    v.forEach(e -> out.add(e.asString()));
    return List.copyOf(out);
  }

  static Set<String> keys(JsonNode node, String field) {
    JsonNode v = node.get(field);
    Set<String> out = new LinkedHashSet<>();
    if (v != null && v.isObject()) {
      out.addAll(v.propertyNames());
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode v = node.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v != null && v.isObject()) {
      v.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
