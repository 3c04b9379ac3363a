package io.jcompose.runtime.api.model;

import java.util.List;

/**
 * One entry of {@code GET /images/{name}/history}, newest first as dockerd answers.
 *
 * @param id the image id on the newest entry, {@code <missing>} on the others (their images are
 *     not in the store, as for any pulled image in Docker)
 * @param created Unix seconds
 * @param createdBy the instruction as the image config's history records it
 * @param tags the image's tags on the newest entry, else null
 * @param size bytes the entry's layer adds (Docker's measure: regular files and links, each inode
 *     once, directories not counted); 0 for an entry without a layer
 * @param comment the history comment ({@code buildkit.dockerfile.v0}), or empty
 */
public record ImageHistoryItem(String id, long created, String createdBy, List<String> tags, long size, String comment) {}
