package io.jcompose.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Helpers for immutable collections in the model. Compose maps may hold {@code null} values
 * ({@code environment: {FOO: }} or {@code networks: {default: }}), which {@link Map#copyOf}
 * forbids, so the model uses unmodifiable copies that keep nulls and the key order.
 *
 * <p>Extension values ({@code x-*} keys) are plain YAML values: {@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code null}, {@code List<Object>} or {@code Map<String,Object>}.
 */
public final class Extensions {
  private Extensions() {}

  /** An unmodifiable copy keeping insertion order and null values; {@code null} gives an empty map. */
  public static <K, V> Map<K, V> freeze(Map<K, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** An unmodifiable copy sorted by key (the order Compose prints maps in). */
  public static <V> Map<String, V> sorted(Map<String, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** An unmodifiable copy; {@code null} stays {@code null} (Compose tells "unset" from "empty"). */
  public static <T> List<T> freezeNullable(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(new java.util.ArrayList<>(list));
  }

  /** An unmodifiable copy; {@code null} gives an empty list. */
  public static <T> List<T> freeze(List<T> list) {
    return list == null || list.isEmpty() ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(list));
  }

  /** An unmodifiable copy; {@code null} gives an empty set. */
  public static <T> Set<T> freeze(Set<T> set) {
    return set == null || set.isEmpty() ? Set.of() : Collections.unmodifiableSet(new java.util.LinkedHashSet<>(set));
  }
}
