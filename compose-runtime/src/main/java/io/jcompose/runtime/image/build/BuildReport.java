package io.jcompose.runtime.image.build;

import io.jcompose.runtime.image.Image;
import java.util.List;
import java.util.Set;

/**
 * The outcome of a build.
 *
 * @param image the stored image
 * @param steps every step in the order it ran, with whether it came from the cache
 * @param unusedBuildArgs build args no stage declared (Docker warns about them)
 */
public record BuildReport(Image image, List<StepReport> steps, Set<String> unusedBuildArgs) {

  /**
   * One step.
   *
   * @param stage the stage's display name ({@code builder}, {@code stage-1})
   * @param createdBy the instruction as the history shows it
   * @param cached whether the result came from the cache
   */
  public record StepReport(String stage, String createdBy, boolean cached) {}

  /** How many steps were cache hits. */
  public long cacheHits() {
    return steps.stream().filter(StepReport::cached).count();
  }
}
