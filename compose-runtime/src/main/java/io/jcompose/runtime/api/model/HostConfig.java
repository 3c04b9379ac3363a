package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code HostConfig} of create and inspect: storage, networking, lifecycle, security, resources. */
public record HostConfig(
        List<String> binds,
        LogConfig logConfig,
        String networkMode,
        Map<String, List<PortBinding>> portBindings,
        RestartPolicy restartPolicy,
        Boolean autoRemove,
        String volumeDriver,
        List<String> volumesFrom,
        List<Mount> mounts,
        List<String> capAdd,
        List<String> capDrop,
        String cgroupnsMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> groupAdd,
        String ipcMode,
        String cgroup,
        List<String> links,
        Integer oomScoreAdj,
        String pidMode,
        Boolean privileged,
        Boolean publishAllPorts,
        Boolean readonlyRootfs,
        List<String> securityOpt,
        Map<String, String> storageOpt,
        Map<String, String> tmpfs,
        @JsonProperty("UTSMode") String utsMode,
        String usernsMode,
        Long shmSize,
        Map<String, String> sysctls,
        String runtime,
        Boolean init,
        String cgroupParent,
        Long memory,
        Long memorySwap,
        Long memoryReservation,
        @JsonProperty("NanoCpus") Long nanoCpus,
        @JsonProperty("CpuShares") Long cpuShares,
        @JsonProperty("CpuPeriod") Long cpuPeriod,
        @JsonProperty("CpuQuota") Long cpuQuota,
        @JsonProperty("CpusetCpus") String cpusetCpus,
        @JsonProperty("CpusetMems") String cpusetMems,
        Long pidsLimit,
        List<Ulimit> ulimits,
        List<DeviceMapping> devices,
        Boolean oomKillDisable,
        List<Integer> consoleSize) {

    /** {@code LogConfig}: Compose 1.29 skips containers whose type is null or none. */
    public record LogConfig(String type, Map<String, String> config) {}

    /** {@code RestartPolicy}: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure}. */
    public record RestartPolicy(String name, Integer maximumRetryCount) {}

    public record Ulimit(String name, Long soft, Long hard) {}

    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

    /** A host config with just a network mode (tests, simple runs). */
    public static HostConfig ofNetworkMode(String mode) {
        return new HostConfig(null, null, mode, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }
}
