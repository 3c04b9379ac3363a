package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /containers/{id}/json} (fields in ENGINE-API.md §2.2). */
public record ContainerInspect(
        String id,
        String created,
        String path,
        List<String> args,
        ContainerState state,
        String image,
        String resolvConfPath,
        String hostnamePath,
        String hostsPath,
        String logPath,
        String name,
        int restartCount,
        String driver,
        String platform,
        @JsonProperty("ExecIDs") List<String> execIds,
        HostConfig hostConfig,
        List<MountPoint> mounts,
        ContainerConfig config,
        NetworkSettings networkSettings,
        @JsonProperty("SizeRw") Long sizeRw,
        @JsonProperty("SizeRootFs") Long sizeRootFs) {}
