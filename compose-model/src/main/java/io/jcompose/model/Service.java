package io.jcompose.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One service of a Compose project, after interpolation, merging, {@code extends} and
 * normalisation: every short syntax is in its long form, relative paths are absolute.
 *
 * <p>Components follow the order in which {@code docker compose config} prints them (compose-go's
 * {@code ServiceConfig}). Absent values are {@code null} (objects, strings, boxed numbers), zero
 * (primitive numbers, booleans) or empty (collections), exactly where Compose omits them.
 * {@link #command()} and {@link #entrypoint()} are {@code null} when unset and an empty list when
 * explicitly cleared.
 *
 * @param name the service name (the key under {@code services})
 * @param profiles profiles that enable this service; empty means always enabled
 * @param annotations OCI annotations
 * @param attach whether {@code up} attaches to the logs; {@code null} = default (true)
 * @param build how to build the image, or {@code null}
 * @param develop {@code develop} (watch) settings
 * @param blkioConfig block IO limits
 * @param dependsOn services this one depends on, by name, in file order
 * @param deploy the {@code deploy} section (resources, replicas, restart policy)
 * @param environment environment variables; a {@code null} value means "take it from the shell"
 *     and is resolved by the loader when the variable is set
 * @param envFile the {@code env_file} entries (already applied to {@link #environment()})
 * @param extendsConfig the {@code extends} reference (already applied); kept for printing
 * @param extraHosts extra {@code /etc/hosts} entries, host name to addresses
 * @param healthcheck the health check, or {@code null} to use the image's
 * @param networks networks to join; a {@code null} value means "join with defaults"
 * @param ports published ports, one entry per port (ranges are expanded)
 * @param ulimits ulimits by name
 * @param volumes mounts in long form
 * @param devices host devices in long form
 * @param gpus GPU requests
 * @param labelFile files holding labels (already applied to labels)
 * @param postStart commands run after the container started
 * @param preStop commands run before the container stops
 * @param extensions {@code x-*} keys of the service
 */
public record Service(
    @Internal String name,
    List<String> profiles,
    Map<String, String> annotations,
    Boolean attach,
    BuildConfig build,
    DevelopConfig develop,
    BlkioConfig blkioConfig,
    List<String> capAdd,
    List<String> capDrop,
    String cgroupParent,
    String cgroup,
    long cpuCount,
    double cpuPercent,
    long cpuPeriod,
    long cpuQuota,
    long cpuRtPeriod,
    long cpuRtRuntime,
    double cpus,
    String cpuset,
    long cpuShares,
    List<String> command,
    List<FileReference> configs,
    String containerName,
    CredentialSpec credentialSpec,
    Map<String, DependsOn> dependsOn,
    Deploy deploy,
    List<String> deviceCgroupRules,
    List<DeviceMapping> devices,
    List<String> dns,
    List<String> dnsOpt,
    List<String> dnsSearch,
    @YamlKey("domainname") String domainname,
    List<String> entrypoint,
    Map<String, String> environment,
    List<EnvFile> envFile,
    List<String> expose,
    @YamlKey("extends") ExtendsConfig extendsConfig,
    List<String> externalLinks,
    Map<String, List<String>> extraHosts,
    List<String> groupAdd,
    List<Deploy.DeviceRequest> gpus,
    String hostname,
    Healthcheck healthcheck,
    String image,
    Boolean init,
    String ipc,
    String isolation,
    Map<String, String> labels,
    @YamlKey("label_file") List<String> labelFile,
    List<String> links,
    Logging logging,
    long memLimit,
    long memReservation,
    long memswapLimit,
    long memSwappiness,
    String macAddress,
    String networkMode,
    Map<String, ServiceNetwork> networks,
    boolean oomKillDisable,
    long oomScoreAdj,
    String pid,
    long pidsLimit,
    String platform,
    List<PortConfig> ports,
    boolean privileged,
    String pullPolicy,
    boolean readOnly,
    String restart,
    String runtime,
    Integer scale,
    List<FileReference> secrets,
    List<String> securityOpt,
    long shmSize,
    boolean stdinOpen,
    Duration stopGracePeriod,
    String stopSignal,
    Map<String, String> storageOpt,
    Map<String, String> sysctls,
    List<String> tmpfs,
    boolean tty,
    Map<String, Ulimit> ulimits,
    String user,
    @YamlKey("userns_mode") String usernsMode,
    String uts,
    List<ServiceVolume> volumes,
    List<String> volumesFrom,
    String workingDir,
    List<ServiceHook> postStart,
    List<ServiceHook> preStop,
    Map<String, Object> extensions) {

  /** Freezes every collection; {@code command}/{@code entrypoint} keep their null. */
  public Service {
    profiles = Extensions.freeze(profiles);
    annotations = Extensions.freeze(annotations);
    capAdd = Extensions.freeze(capAdd);
    capDrop = Extensions.freeze(capDrop);
    command = Extensions.freezeNullable(command);
    configs = Extensions.freeze(configs);
    dependsOn = Extensions.freeze(dependsOn);
    deviceCgroupRules = Extensions.freeze(deviceCgroupRules);
    devices = Extensions.freeze(devices);
    dns = Extensions.freeze(dns);
    dnsOpt = Extensions.freeze(dnsOpt);
    dnsSearch = Extensions.freeze(dnsSearch);
    entrypoint = Extensions.freezeNullable(entrypoint);
    environment = Extensions.freeze(environment);
    envFile = Extensions.freeze(envFile);
    expose = Extensions.freeze(expose);
    externalLinks = Extensions.freeze(externalLinks);
    extraHosts = Extensions.freeze(extraHosts);
    groupAdd = Extensions.freeze(groupAdd);
    gpus = Extensions.freeze(gpus);
    labelFile = Extensions.freeze(labelFile);
    postStart = Extensions.freeze(postStart);
    preStop = Extensions.freeze(preStop);
    labels = Extensions.freeze(labels);
    links = Extensions.freeze(links);
    networks = Extensions.freeze(networks);
    ports = Extensions.freeze(ports);
    secrets = Extensions.freeze(secrets);
    securityOpt = Extensions.freeze(securityOpt);
    storageOpt = Extensions.freeze(storageOpt);
    sysctls = Extensions.freeze(sysctls);
    tmpfs = Extensions.freeze(tmpfs);
    ulimits = Extensions.freeze(ulimits);
    volumes = Extensions.freeze(volumes);
    volumesFrom = Extensions.freeze(volumesFrom);
    extensions = Extensions.freeze(extensions);
  }

  /**
   * A service with only a name and an image, everything else absent (for tests and tools; a
   * project from a file comes from {@link ProjectLoader}).
   */
  public static Service of(String name, String image) {
    return RecordCopy.of(Service.class, Map.of("name", name, "image", image));
  }

  /**
   * This service with another environment and {@code env_file} list (the loader applies
   * {@code env_file} contents to the environment this way).
   */
  public Service withEnvironment(Map<String, String> newEnvironment, List<EnvFile> newEnvFiles) {
    java.util.Map<String, Object> changes = new java.util.HashMap<>();
    changes.put("environment", newEnvironment);
    changes.put("envFile", newEnvFiles);
    return RecordCopy.with(this, changes);
  }

  /** This service with another {@code image} (e.g. pinned to a digest by {@code config --resolve-image-digests}). */
  public Service withImage(String newImage) {
    java.util.Map<String, Object> changes = new java.util.HashMap<>();
    changes.put("image", newImage);
    return RecordCopy.with(this, changes);
  }

  /** This service with other labels and {@code label_file} list (the loader applies label files this way). */
  public Service withLabels(Map<String, String> newLabels, List<String> newLabelFiles) {
    java.util.Map<String, Object> changes = new java.util.HashMap<>();
    changes.put("labels", newLabels);
    changes.put("labelFile", newLabelFiles);
    return RecordCopy.with(this, changes);
  }

  /** The services this one must wait for, in file order (keys of {@link #dependsOn()}). */
  public java.util.Set<String> dependencyNames() {
    return dependsOn.keySet();
  }

  /**
   * The number of containers to run: {@code deploy.replicas}, else {@code scale}, else 1.
   */
  public int replicas() {
    if (deploy != null && deploy.replicas() != null) {
      return deploy.replicas();
    }
    return scale != null ? scale : 1;
  }
}
