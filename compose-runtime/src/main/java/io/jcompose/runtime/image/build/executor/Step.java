package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.image.build.dockerfile.Instruction;
import java.util.List;

/**
 * One step of a stage, with everything it needs already evaluated (variables substituted,
 * environment and user at that point). Steps that change only the config carry no work; the
 * others make a layer.
 */
public sealed interface Step {

  /** The instruction with variables substituted. */
  Instruction instruction();

  /** Docker's history {@code created_by} for it. */
  String createdBy();

  /** Whether it makes a layer (RUN, COPY, ADD, WORKDIR). */
  default boolean makesLayer() {
    return !(this instanceof ConfigChange);
  }

  /** A step that only changes the image config (ENV, LABEL, CMD, ...). */
  record ConfigChange(Instruction instruction, String createdBy) implements Step {}

  /**
   * A RUN.
   *
   * @param argv what is executed (the shell prepended for shell form)
   * @param env the process environment: image Env plus the stage's build args
   * @param user the user it runs as ("" for root)
   * @param workingDir the directory it runs in
   * @param buildArgs the build args visible to it (a cache key input)
   */
  record Run(
      Instruction.Run instruction,
      String createdBy,
      List<String> argv,
      List<String> env,
      String user,
      String workingDir,
      java.util.Map<String, String> buildArgs)
      implements Step {}

  /**
   * A COPY or ADD (instruction is {@link Instruction.Copy} or {@link Instruction.Add}).
   *
   * @param workingDir the directory a relative destination is relative to
   */
  record Copy(Instruction instruction, String createdBy, String workingDir) implements Step {}

  /** WORKDIR: creates the directory (owned by root) if the image lacks it. */
  record Workdir(Instruction.Workdir instruction, String createdBy, String path) implements Step {}
}
