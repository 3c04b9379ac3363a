package io.jcompose.runtime.image.build;

import io.jcompose.runtime.image.build.BuildReport.StepReport;
import java.util.function.Consumer;

/**
 * Hears a build as it goes, enough to print the classic builder's output ({@code Step 2/6 :
 * RUN ...}, the command's output, {@code ---> Using cache}). Called from several threads when
 * independent stages build in parallel.
 */
public interface BuildListener {

  /**
   * A step begins. Steps are numbered over the stages the target needs, in Dockerfile order,
   * FROM included, as the classic builder counts them.
   *
   * @param instruction the instruction as written (continuations joined)
   */
  default void stepStarted(String stage, int number, int total, String instruction) {}

  /** A RUN's container was created; {@code containerId} is its full id. */
  default void running(String stage, String containerId) {}

  /** A RUN's output, chunk by chunk; {@code stderr} tells which stream. */
  default void output(String stage, String text, boolean stderr) {}

  /**
   * A stage's FROM is resolved.
   *
   * @param baseId the base image's id, {@code scratch}, or the base stage's last cache key
   */
  default void baseResolved(String stage, String baseId) {}

  /**
   * A step ended.
   *
   * @param resultId what identifies its result: the step's cache key ({@code sha256:...})
   */
  default void stepFinished(StepReport report, String resultId) {}

  /** A listener that hears finished steps only. */
  static BuildListener ofSteps(Consumer<StepReport> steps) {
    return new BuildListener() {
      @Override
      public void stepFinished(StepReport report, String resultId) {
        steps.accept(report);
      }
    };
  }
}
