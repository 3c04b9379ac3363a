package io.jcompose.runtime.volume;

import java.util.Map;

/**
 * What the state store keeps of a volume; the data itself lives in {@code volumes/<name>/_data}.
 *
 * @param createdAt RFC 3339, seconds precision (as Docker's local driver reports it)
 */
record VolumeRecord(String name, String driver, Map<String, String> labels, Map<String, String> options, String createdAt) {}
