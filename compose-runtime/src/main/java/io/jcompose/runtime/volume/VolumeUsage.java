package io.jcompose.runtime.volume;

import java.util.List;

/** Which containers use a volume; answered by the container engine (a volume in use is never removed). */
@FunctionalInterface
public interface VolumeUsage {

    /** IDs of the containers (running or not) that mount {@code volumeName}; empty if none. */
    List<String> containersUsing(String volumeName);

    /** For an engine without containers. */
    VolumeUsage NONE = name -> List.of();
}
