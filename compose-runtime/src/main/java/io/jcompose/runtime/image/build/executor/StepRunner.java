package io.jcompose.runtime.image.build.executor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a RUN step's command on a stage's filesystem and captures what it changed as a layer.
 * The build engine's implementation is {@link ContainerStepRunner} (a container of our own
 * runtime); {@link io.jcompose.runtime.image.build.ImageBuilder} without a runner refuses RUN.
 */
public interface StepRunner {

  /**
   * Runs {@code step} on the layers {@code lowerDirs} (top first, overlayfs order; empty for a
   * stage on {@code scratch}) and writes the filesystem diff as a layer to {@code out}.
   *
   * @param network the build's network mode ({@code default}, {@code bridge}, {@code none}, {@code host})
   * @param options cgroup limits, /dev/shm size, ulimits and extra hosts of the step's container
   * @param output hears the container's id, then the command's stdout and stderr as they come
   * @throws StepFailedException when the command could not start or exited with a code other
   *     than 0; nothing of the container is left behind
   */
  LayerBlob run(Step.Run step, List<Path> lowerDirs, String network, RunOptions options, Output output, Path out)
      throws IOException;

  /** What a running step tells its caller. */
  interface Output {
    /** The step's container was created (the classic builder prints {@code ---> Running in <id>}). */
    default void started(String containerId) {}

    /** A chunk of the command's stdout, or of its stderr when {@code stderr}. */
    void text(String text, boolean stderr);
  }
}
