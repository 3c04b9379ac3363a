package io.jcompose.runtime.image.build.dockerfile;

import java.util.List;

/**
 * One build stage: a FROM and the instructions up to the next FROM.
 *
 * @param index 0-based position in the Dockerfile (how {@code COPY --from=0} names it)
 * @param from the stage's FROM (base image or earlier stage, unexpanded)
 * @param instructions the instructions after FROM, in order
 */
public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
  public Stage {
    instructions = List.copyOf(instructions);
  }

  /** The {@code AS} name, lower-cased, or null. */
  public String name() {
    return from.name();
  }

  /** The name if it has one, else the index, as BuildKit shows it ({@code stage-1}). */
  public String displayName() {
    return name() != null ? name() : "stage-" + index;
  }
}
