package io.jcompose.planner.engine;

import java.util.List;

/**
 * {@code GET /images/{name}/json}, the fields the planner reads.
 *
 * @param id {@code Id} ({@code sha256:…}); Compose records it in the {@code .image} label
 * @param repoTags {@code RepoTags}
 * @param repoDigests {@code RepoDigests}
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests) {
  public ImageInfo {
    repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
  }
}
