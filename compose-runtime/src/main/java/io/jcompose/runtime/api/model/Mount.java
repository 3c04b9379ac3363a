package io.jcompose.runtime.api.model;

import java.util.Map;

/** {@code HostConfig.Mounts[]}: type {@code bind}, {@code volume}, {@code tmpfs} or {@code image}. */
public record Mount(
        String type,
        String source,
        String target,
        Boolean readOnly,
        String consistency,
        BindOptions bindOptions,
        VolumeOptions volumeOptions,
        TmpfsOptions tmpfsOptions) {

    public record BindOptions(String propagation, Boolean nonRecursive, Boolean createMountpoint) {}

    public record VolumeOptions(Boolean noCopy, Map<String, String> labels, Driver driverConfig, String subpath) {}

    public record Driver(String name, Map<String, String> options) {}

    public record TmpfsOptions(Long sizeBytes, Integer mode) {}
}
