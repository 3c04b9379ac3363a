package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /info}: the fields the docker CLI prints and Testcontainers and Compose read
 * ({@code OSType}, {@code ServerVersion}, {@code Swarm.LocalNodeState}, ...).
 */
public record SystemInfo(
        @JsonProperty("ID") String id,
        int containers,
        int containersRunning,
        int containersPaused,
        int containersStopped,
        int images,
        String driver,
        List<List<String>> driverStatus,
        Plugins plugins,
        boolean memoryLimit,
        boolean swapLimit,
        boolean cpuCfsPeriod,
        boolean cpuCfsQuota,
        @JsonProperty("CPUShares") boolean cpuShares,
        @JsonProperty("CPUSet") boolean cpuSet,
        boolean pidsLimit,
        @JsonProperty("IPv4Forwarding") boolean ipv4Forwarding,
        boolean debug,
        @JsonProperty("NFd") int nFd,
        boolean oomKillDisable,
        @JsonProperty("NGoroutines") int nGoroutines,
        String systemTime,
        String loggingDriver,
        String cgroupDriver,
        String cgroupVersion,
        @JsonProperty("NEventsListener") int nEventsListener,
        String kernelVersion,
        String operatingSystem,
        @JsonProperty("OSVersion") String osVersion,
        @JsonProperty("OSType") String osType,
        String architecture,
        String indexServerAddress,
        RegistryConfig registryConfig,
        @JsonProperty("NCPU") int ncpu,
        long memTotal,
        String dockerRootDir,
        String httpProxy,
        String httpsProxy,
        String noProxy,
        String name,
        List<String> labels,
        boolean experimentalBuild,
        String serverVersion,
        Map<String, Runtime> runtimes,
        String defaultRuntime,
        Swarm swarm,
        boolean liveRestoreEnabled,
        String isolation,
        String initBinary,
        List<String> securityOptions,
        List<AddressPool> defaultAddressPools,
        List<String> warnings) {

    /** Installed plugins by kind. */
    public record Plugins(List<String> volume, List<String> network, List<String> authorization, List<String> log) {}

    /** Registry settings from the daemon config. */
    public record RegistryConfig(
            @JsonProperty("InsecureRegistryCIDRs") List<String> insecureRegistryCidrs,
            Map<String, IndexInfo> indexConfigs,
            List<String> mirrors) {}

    /** One registry index. */
    public record IndexInfo(String name, List<String> mirrors, boolean secure, boolean official) {}

    /** An OCI runtime. */
    public record Runtime(String path) {}

    /** Swarm is never active here; Compose needs {@code LocalNodeState = inactive}. */
    public record Swarm(
            @JsonProperty("NodeID") String nodeId,
            String nodeAddr,
            String localNodeState,
            boolean controlAvailable,
            String error) {

        /** The only swarm state jcompose has. */
        public static final Swarm INACTIVE = new Swarm("", "", "inactive", false, "");
    }

    /** A default address pool ({@code default-address-pools} in the config). */
    public record AddressPool(String base, int size) {}
}
