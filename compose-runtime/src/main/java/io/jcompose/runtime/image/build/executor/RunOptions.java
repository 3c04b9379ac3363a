package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.network.dns.HostsFile;
import java.util.List;

/**
 * What every RUN container of a build gets besides its network mode: the {@code memory},
 * {@code memswap}, {@code cpushares}, {@code cpusetcpus}, {@code cpusetmems}, {@code cpuquota},
 * {@code cpuperiod}, {@code shmsize}, {@code ulimits} and {@code extrahosts} parameters of
 * {@code POST /build} (compose's {@code build.shm_size}, {@code build.ulimits},
 * {@code build.extra_hosts}), applied as a container's would be.
 *
 * @param resources cgroup limits ({@link ContainerSpec.Resources#NONE} for none)
 * @param shmSize bytes of {@code /dev/shm}, or null for Docker's 64 MiB
 * @param ulimits rlimits of the step's processes
 * @param extraHosts lines added to the step's {@code /etc/hosts} ({@code --add-host})
 */
public record RunOptions(ContainerSpec.Resources resources, Long shmSize, List<ContainerSpec.Ulimit> ulimits,
    List<HostsFile.ExtraHost> extraHosts) {
  /** Docker's defaults, nothing added. */
  public static final RunOptions NONE = new RunOptions(ContainerSpec.Resources.NONE, null, List.of(), List.of());

  public RunOptions {
    resources = resources == null ? ContainerSpec.Resources.NONE : resources;
    ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
  }
}
