package io.jcompose.runtime.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One {@code GET /containers/{id}/stats} sample: the fields {@code docker stats} reads (snake_case on the wire). */
public record ContainerStats(
        @JsonProperty("read") String read,
        @JsonProperty("preread") String preread,
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("pids_stats") PidsStats pidsStats,
        @JsonProperty("cpu_stats") CpuStats cpuStats,
        @JsonProperty("precpu_stats") CpuStats precpuStats,
        @JsonProperty("memory_stats") MemoryStats memoryStats,
        @JsonProperty("blkio_stats") BlkioStats blkioStats,
        @JsonProperty("networks") Map<String, NetworkStats> networks) {

    public record PidsStats(@JsonProperty("current") long current, @JsonProperty("limit") Long limit) {}

    public record CpuStats(
            @JsonProperty("cpu_usage") CpuUsage cpuUsage,
            @JsonProperty("system_cpu_usage") long systemCpuUsage,
            @JsonProperty("online_cpus") int onlineCpus) {}

    public record CpuUsage(@JsonProperty("total_usage") long totalUsage, @JsonProperty("usage_in_kernelmode") long kernel,
            @JsonProperty("usage_in_usermode") long user) {}

    public record MemoryStats(@JsonProperty("usage") long usage, @JsonProperty("limit") long limit, @JsonProperty("stats") Map<String, Long> stats) {}

    public record BlkioStats(@JsonProperty("io_service_bytes_recursive") List<BlkioEntry> ioServiceBytesRecursive) {}

    public record BlkioEntry(@JsonProperty("major") long major, @JsonProperty("minor") long minor, @JsonProperty("op") String op,
            @JsonProperty("value") long value) {}

    public record NetworkStats(@JsonProperty("rx_bytes") long rxBytes, @JsonProperty("tx_bytes") long txBytes,
            @JsonProperty("rx_packets") long rxPackets, @JsonProperty("tx_packets") long txPackets) {}
}
