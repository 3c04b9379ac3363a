package io.jcompose.runtime.api.model;

import java.util.List;

/**
 * The answer of {@code POST /build/prune}.
 *
 * @param cachesDeleted ids of the removed cache records
 * @param spaceReclaimed bytes freed on disk
 */
public record BuildCachePruneReport(List<String> cachesDeleted, long spaceReclaimed) {}
