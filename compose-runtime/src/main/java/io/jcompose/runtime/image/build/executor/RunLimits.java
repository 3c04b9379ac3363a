package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.container.ContainerSpec;
import java.util.List;

/**
 * Limits every RUN container of a build gets: the {@code memory}, {@code memswap},
 * {@code cpushares}, {@code cpusetcpus}, {@code cpusetmems}, {@code cpuquota}, {@code cpuperiod},
 * {@code shmsize} and {@code ulimits} parameters of {@code POST /build} (compose's
 * {@code build.shm_size} and {@code build.ulimits}), applied as a container's would be.
 *
 * @param resources cgroup limits ({@link ContainerSpec.Resources#NONE} for none)
 * @param shmSize bytes of {@code /dev/shm}, or null for Docker's 64 MiB
 * @param ulimits rlimits of the step's processes
 */
public record RunLimits(ContainerSpec.Resources resources, Long shmSize, List<ContainerSpec.Ulimit> ulimits) {
  /** No limits beyond Docker's defaults. */
  public static final RunLimits NONE = new RunLimits(ContainerSpec.Resources.NONE, null, List.of());

  public RunLimits {
    resources = resources == null ? ContainerSpec.Resources.NONE : resources;
    ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
  }
}
