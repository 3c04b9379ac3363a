package io.jcompose.planner.engine;

import java.util.List;
import java.util.Map;

/**
 * The {@code HostConfig} part of {@code POST /containers/create} (Docker's container.HostConfig),
 * the subset Compose sets. Docker flattens {@link Resources} into HostConfig's JSON; it is a
 * separate record here to keep this one readable. {@code null} or empty = not set.
 *
 * @param binds {@code Binds}: {@code source:target[:options]}
 * @param mounts {@code Mounts}, for mounts that need the Mount API (tmpfs, anonymous volumes,
 *     options that {@code Binds} cannot express)
 * @param tmpfs {@code Tmpfs}: path to options
 * @param volumesFrom {@code VolumesFrom}: {@code container[:ro|rw]}
 * @param portBindings {@code PortBindings}: {@code 80/tcp} to host bindings
 * @param networkMode {@code NetworkMode}: a network name, {@code host}, {@code none},
 *     {@code container:<name>}
 * @param links {@code Links}: {@code container:alias}
 * @param extraHosts {@code ExtraHosts}: {@code host:ip}
 * @param dns {@code Dns}
 * @param dnsOptions {@code DnsOptions}
 * @param dnsSearch {@code DnsSearch}
 * @param restartPolicy {@code RestartPolicy}
 * @param autoRemove {@code AutoRemove}
 * @param init {@code Init}, or {@code null}
 * @param capAdd {@code CapAdd}
 * @param capDrop {@code CapDrop}
 * @param privileged {@code Privileged}
 * @param securityOpt {@code SecurityOpt}
 * @param readonlyRootfs {@code ReadonlyRootfs}
 * @param groupAdd {@code GroupAdd}
 * @param ipcMode {@code IpcMode}
 * @param pidMode {@code PidMode}
 * @param utsMode {@code UTSMode}
 * @param usernsMode {@code UsernsMode}
 * @param cgroupnsMode {@code CgroupnsMode}
 * @param shmSize {@code ShmSize} in bytes, 0 = default
 * @param sysctls {@code Sysctls}
 * @param logConfig {@code LogConfig}, or {@code null}
 * @param oomScoreAdj {@code OomScoreAdj}
 * @param runtime {@code Runtime}
 * @param storageOpt {@code StorageOpt}
 * @param annotations {@code Annotations} (OCI annotations)
 * @param resources the resource fields of HostConfig
 */
public record HostConfig(
    List<String> binds,
    List<Mount> mounts,
    Map<String, String> tmpfs,
    List<String> volumesFrom,
    Map<String, List<PortBinding>> portBindings,
    String networkMode,
    List<String> links,
    List<String> extraHosts,
    List<String> dns,
    List<String> dnsOptions,
    List<String> dnsSearch,
    RestartPolicy restartPolicy,
    boolean autoRemove,
    Boolean init,
    List<String> capAdd,
    List<String> capDrop,
    boolean privileged,
    List<String> securityOpt,
    boolean readonlyRootfs,
    List<String> groupAdd,
    String ipcMode,
    String pidMode,
    String utsMode,
    String usernsMode,
    String cgroupnsMode,
    long shmSize,
    Map<String, String> sysctls,
    LogConfig logConfig,
    int oomScoreAdj,
    String runtime,
    Map<String, String> storageOpt,
    Map<String, String> annotations,
    Resources resources) {

  /**
   * {@code RestartPolicy}.
   *
   * @param name {@code no}, {@code always}, {@code on-failure}, {@code unless-stopped}
   * @param maximumRetryCount {@code MaximumRetryCount} (on-failure only)
   */
  public record RestartPolicy(String name, int maximumRetryCount) {
    /** Docker's default: never restart. */
    public static final RestartPolicy NO = new RestartPolicy("no", 0);
  }

  /**
   * One host binding of a container port.
   *
   * @param hostIp {@code HostIp}, empty for all addresses
   * @param hostPort {@code HostPort}, empty for a free port; may be a range {@code 8080-8081}
   */
  public record PortBinding(String hostIp, String hostPort) {}

  /**
   * {@code LogConfig}.
   *
   * @param type the log driver
   * @param config driver options
   */
  public record LogConfig(String type, Map<String, String> config) {}

  /**
   * One entry of {@code Mounts} (Docker's mount.Mount).
   *
   * @param type {@code bind}, {@code volume}, {@code tmpfs}
   * @param source host path, volume name, or empty (anonymous volume, tmpfs)
   * @param target path in the container
   * @param readOnly {@code ReadOnly}
   * @param bindPropagation {@code BindOptions.Propagation}, or {@code null}
   * @param bindCreateMountpoint {@code BindOptions.CreateMountpoint}
   * @param volumeNoCopy {@code VolumeOptions.NoCopy}
   * @param volumeSubpath {@code VolumeOptions.Subpath}, or {@code null}
   * @param tmpfsSizeBytes {@code TmpfsOptions.SizeBytes}, 0 = default
   * @param tmpfsMode {@code TmpfsOptions.Mode}, 0 = default
   */
  public record Mount(
      String type,
      String source,
      String target,
      boolean readOnly,
      String bindPropagation,
      boolean bindCreateMountpoint,
      boolean volumeNoCopy,
      String volumeSubpath,
      long tmpfsSizeBytes,
      int tmpfsMode) {}

  /**
   * The resource fields of HostConfig (Docker's container.Resources). 0 / {@code null} = unset.
   *
   * @param memory {@code Memory} in bytes
   * @param memoryReservation {@code MemoryReservation}
   * @param memorySwap {@code MemorySwap}
   * @param memorySwappiness {@code MemorySwappiness}, or {@code null}
   * @param nanoCpus {@code NanoCpus}
   * @param cpuShares {@code CpuShares}
   * @param cpuPeriod {@code CpuPeriod}
   * @param cpuQuota {@code CpuQuota}
   * @param cpusetCpus {@code CpusetCpus}
   * @param pidsLimit {@code PidsLimit}, or {@code null}
   * @param oomKillDisable {@code OomKillDisable}
   * @param blkioWeight {@code BlkioWeight}
   * @param ulimits {@code Ulimits}
   * @param devices {@code Devices}
   * @param cgroupParent {@code CgroupParent}
   * @param cpuRealtimePeriod {@code CpuRealtimePeriod}
   * @param cpuRealtimeRuntime {@code CpuRealtimeRuntime}
   * @param deviceCgroupRules {@code DeviceCgroupRules}
   * @param blkioDeviceReadBps {@code BlkioDeviceReadBps}
   * @param blkioDeviceWriteBps {@code BlkioDeviceWriteBps}
   * @param blkioDeviceReadIOps {@code BlkioDeviceReadIOps}
   * @param blkioDeviceWriteIOps {@code BlkioDeviceWriteIOps}
   * @param deviceRequests {@code DeviceRequests} (GPUs)
   */
  public record Resources(
      long memory,
      long memoryReservation,
      long memorySwap,
      Long memorySwappiness,
      long nanoCpus,
      long cpuShares,
      long cpuPeriod,
      long cpuQuota,
      String cpusetCpus,
      Long pidsLimit,
      boolean oomKillDisable,
      int blkioWeight,
      List<Ulimit> ulimits,
      List<DeviceMapping> devices,
      String cgroupParent,
      long cpuRealtimePeriod,
      long cpuRealtimeRuntime,
      List<String> deviceCgroupRules,
      List<ThrottleDevice> blkioDeviceReadBps,
      List<ThrottleDevice> blkioDeviceWriteBps,
      List<ThrottleDevice> blkioDeviceReadIOps,
      List<ThrottleDevice> blkioDeviceWriteIOps,
      List<DeviceRequest> deviceRequests) {}

  /**
   * A block device rate limit.
   *
   * @param path {@code Path}
   * @param rate {@code Rate}
   */
  public record ThrottleDevice(String path, long rate) {}

  /**
   * A device request, e.g. GPUs.
   *
   * @param driver {@code Driver}
   * @param count {@code Count}, -1 = all
   * @param deviceIds {@code DeviceIDs}
   * @param capabilities {@code Capabilities}: one alternative, a list of capabilities
   * @param options {@code Options}
   */
  public record DeviceRequest(String driver, long count, List<String> deviceIds, List<List<String>> capabilities, Map<String, String> options) {}

  /**
   * One ulimit.
   *
   * @param name e.g. {@code nofile}
   * @param soft {@code Soft}
   * @param hard {@code Hard}
   */
  public record Ulimit(String name, long soft, long hard) {}

  /**
   * One device.
   *
   * @param pathOnHost {@code PathOnHost}
   * @param pathInContainer {@code PathInContainer}
   * @param cgroupPermissions {@code CgroupPermissions}, e.g. {@code rwm}
   */
  public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}
}
