package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code POST /{containers,images,networks,volumes}/prune}; only the list that fits
 * the endpoint is set ({@code ContainersDeleted}, {@code ImagesDeleted}, {@code NetworksDeleted} or
 * {@code VolumesDeleted}), plus {@code SpaceReclaimed} where Docker reports it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PruneReport(
        List<String> containersDeleted,
        List<ImageDeleteItem> imagesDeleted,
        List<String> networksDeleted,
        List<String> volumesDeleted,
        Long spaceReclaimed) {

    /** A volume prune report. */
    public static PruneReport volumes(List<String> deleted, long reclaimed) {
        return new PruneReport(null, null, null, deleted, reclaimed);
    }

    /** A container prune report. */
    public static PruneReport containers(List<String> deleted, long reclaimed) {
        return new PruneReport(deleted, null, null, null, reclaimed);
    }

    /** A network prune report (Docker reports no space). */
    public static PruneReport networks(List<String> deleted) {
        return new PruneReport(null, null, deleted, null, null);
    }

    /** An image prune report. */
    public static PruneReport images(List<ImageDeleteItem> deleted, long reclaimed) {
        return new PruneReport(null, deleted, null, null, reclaimed);
    }
}
